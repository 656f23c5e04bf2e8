// Work that must run once per cluster, not once per node (continuous queries,
// alert checks): the node holding the lease runs it. The lease is a key in a
// JetStream key-value bucket <ns>_leases whose entries live `ttl`
// (docs.nats.io, "Key/Value Store": a bucket's TTL removes keys not written
// again): the holder rewrites the key every third of it with update() (which
// succeeds only at the revision it last saw), the others try create() (which
// succeeds only when the key is absent). A holder that dies or loses NATS
// stops renewing, and another node takes over within `ttl`. Between the old
// holder's last renewal and the expiry both may believe they hold it for up
// to one renewal period; the work it guards is idempotent (a CQ rewrites the
// same points, a check's state is shared), so that overlap costs a repeat,
// not a wrong answer.

import type { JetStreamClient, KV } from 'nats';
import type { Logger } from '../core/logger.ts';

export class Lease {
  private held = false;
  private revision = 0;
  private timer: NodeJS.Timeout | undefined;
  private closed = false;

  private constructor(
    private readonly kv: KV,
    private readonly key: string,
    private readonly nodeId: string,
    private readonly ttlMs: number,
    private readonly log: Logger,
  ) {}

  static async open(o: { js: JetStreamClient; ns: string; name: string; nodeId: string; ttlMs: number; replicas: number; log: Logger }): Promise<Lease> {
    const kv = await o.js.views.kv(`${o.ns}_leases`, { history: 1, ttl: o.ttlMs, replicas: o.replicas });
    const lease = new Lease(kv, o.name, o.nodeId, o.ttlMs, o.log);
    await lease.renew();
    lease.timer = setInterval(() => void lease.renew(), Math.max(100, Math.floor(o.ttlMs / 3)));
    lease.timer.unref();
    return lease;
  }

  /** True while this node holds the lease. */
  holds(): boolean {
    return this.held && !this.closed;
  }

  private async renew(): Promise<void> {
    try {
      if (this.held) {
        this.revision = await this.kv.update(this.key, this.nodeId, this.revision);
        return;
      }
      this.revision = await this.kv.create(this.key, this.nodeId);
      this.held = true;
      this.log.info(`this node now runs the cluster's ${this.key}`, { node: this.nodeId });
    } catch {
      // Someone else holds it (create refused), or we lost it (update refused at our revision), or NATS is out of reach.
      if (this.held) this.log.warn(`this node no longer runs the cluster's ${this.key}`, { node: this.nodeId });
      this.held = false;
    }
  }

  /** Gives the lease up at once (a clean stop), so another node need not wait for the TTL. */
  async close(): Promise<void> {
    this.closed = true;
    clearInterval(this.timer);
    if (this.held) await this.kv.delete(this.key, { previousSeq: this.revision }).catch(() => undefined);
    this.held = false;
  }
}
