// InfluxDB 2's edge data replication (docs.influxdata.com/influxdb/v2/write-data/replication/):
// remotes (where to write, with which token) and replications (which local
// bucket goes to which remote bucket), kept in two collections of the
// catalog; one disk queue and one forwarder per replication. server.ts builds
// it; the HTTP routes (http/routes/influx-v2-replications.ts) and the ingest
// decorator (replicating-point-store.ts) use it.

import { join } from 'node:path';
import type { Collection } from '../core/ports/collection.ts';
import { hooklineError } from '../core/errors.ts';
import type { AddressPolicy } from '../integrations/ssrf-guard.ts';
import { decryptSecret, encryptSecret } from '../secrets/secret-cipher.ts';
import { loadOrCreateKey, readKeySync } from '../secrets/secret-key.ts';
import { newId } from '../tenancy/ids.ts';
import { DiskQueue } from './disk-queue.ts';
import { Forwarder } from './forwarder.ts';
import { queuedLines } from './replicating-point-store.ts';
import { DEFAULT_MAX_AGE_SECONDS, DEFAULT_QUEUE_BYTES, MIN_QUEUE_BYTES, type RemoteDoc, type ReplicationDoc, type ReplicationStatus } from './model.ts';

export interface ReplicationServiceOptions {
  /** <dataDir>/replications: one queue directory per replication. */
  dir: string;
  /** The secrets key file (HOOKLINE_SECRETS_KEY_FILE): remote tokens are encrypted with it. */
  keyFile: string;
  /** HOOKLINE_REPLICATION_MAX_QUEUE_BYTES */
  maxQueueBytes: number;
  /** HOOKLINE_REPLICATION_MAX_RETRY_DELAY, ms */
  maxRetryDelayMs: number;
  log: { warn(msg: string, extra?: Record<string, unknown>): void };
  /** Addresses remotes may have (HOOKLINE_REPLICATION_ALLOW_PRIVATE); absent: any. */
  policy?: AddressPolicy;
}

export interface RemoteInput {
  name?: string;
  description?: string;
  remoteURL?: string;
  remoteAPIToken?: string;
  remoteOrgID?: string;
  allowInsecureTLS?: boolean;
}

export interface ReplicationInput {
  name?: string;
  description?: string;
  remoteID?: string;
  localBucketID?: string;
  remoteBucketID?: string;
  remoteBucketName?: string;
  maxQueueSizeBytes?: number;
  dropNonRetryableData?: boolean;
  maxAgeSeconds?: number;
}

interface Running {
  queue: DiskQueue;
  forwarder: Forwarder;
}

const str = (v: unknown, what: string): string | undefined => {
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string') throw hooklineError('BAD_REQUEST', `${what} must be a string`);
  return v;
};

function checkUrl(u: string): string {
  let url: URL;
  try {
    url = new URL(u);
  } catch {
    throw hooklineError('BAD_REQUEST', `remoteURL is not a URL: ${u}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw hooklineError('BAD_REQUEST', 'remoteURL must be http:// or https://');
  if (url.username || url.password) throw hooklineError('BAD_REQUEST', 'remoteURL must not carry credentials: give remoteAPIToken');
  return u.replace(/\/+$/, '');
}

export class ReplicationService {
  private readonly running = new Map<string, Running>();
  private key: Buffer | undefined;
  /** Local bucket id -> replications of it (the ingest path asks per write). */
  private byBucket = new Map<string, ReplicationDoc[]>();

  private constructor(
    private readonly remotes: Collection<RemoteDoc>,
    private readonly replications: Collection<ReplicationDoc>,
    private readonly opts: ReplicationServiceOptions,
  ) {}

  static async open(remotes: Collection<RemoteDoc>, replications: Collection<ReplicationDoc>, opts: ReplicationServiceOptions): Promise<ReplicationService> {
    const s = new ReplicationService(remotes, replications, opts);
    for (const r of replications.values()) await s.ensureRunning(r);
    s.reindex();
    // A replication made or deleted here or on another node (NATS): start or stop its queue here.
    replications.onChange = (id, doc) => {
      s.reindex();
      const run = s.running.get(id);
      if (run && doc) {
        run.queue.maxBytes = doc.maxQueueSizeBytes;
        run.forwarder.poke();
      }
      const done = doc ? s.ensureRunning(doc) : s.stopOne(id, true);
      done.catch((e) => opts.log.warn('replication start/stop failed', { replication: id, error: String(e) }));
    };
    remotes.onChange = () => s.pokeAll();
    return s;
  }

  private reindex(): void {
    const m = new Map<string, ReplicationDoc[]>();
    for (const r of this.replications.values()) m.set(r.localBucketID, [...(m.get(r.localBucketID) ?? []), r]);
    this.byBucket = m;
  }

  private async keyOf(): Promise<Buffer> {
    this.key ??= await loadOrCreateKey(this.opts.keyFile);
    return this.key;
  }

  private readonly starting = new Map<string, Promise<void>>();
  private closed = false;

  /** Starts the replication's queue and forwarder unless they run (or are starting) already. */
  private ensureRunning(r: ReplicationDoc): Promise<void> {
    if (this.closed || this.running.has(r.id)) return Promise.resolve();
    let p = this.starting.get(r.id);
    if (!p) {
      p = this.startOne(r).finally(() => this.starting.delete(r.id));
      this.starting.set(r.id, p);
    }
    return p;
  }

  /** Stops a replication's forwarder; `destroy` removes its queue from disk (the replication was deleted). */
  private async stopOne(id: string, destroy: boolean): Promise<void> {
    await this.starting.get(id);
    const run = this.running.get(id);
    if (!run) return;
    this.running.delete(id);
    await run.forwarder.stop();
    if (destroy) await run.queue.destroy();
    else await run.queue.close();
  }

  private async startOne(r: ReplicationDoc): Promise<void> {
    const queue = await DiskQueue.open(join(this.opts.dir, r.id), r.maxQueueSizeBytes);
    const forwarder = new Forwarder({
      queue,
      maxRetryDelayMs: this.opts.maxRetryDelayMs,
      toLines: queuedLines,
      log: (msg, extra) => this.opts.log.warn(msg, { replication: r.id, ...extra }),
      target: () => {
        const doc = this.replications.get(r.id);
        const remote = doc && this.remotes.get(doc.remoteID);
        if (!doc || !remote) return undefined;
        // The key file exists once a remote does (made here or by another node sharing it).
        this.key ??= readKeySync(this.opts.keyFile);
        if (!this.key) return undefined;
        return {
          remoteURL: remote.remoteURL,
          token: decryptSecret(this.key, `remote.${remote.id}`, remote.tokenCipher),
          remoteOrgID: remote.remoteOrgID,
          bucket: { id: doc.remoteBucketID, name: doc.remoteBucketName },
          allowInsecureTLS: remote.allowInsecureTLS,
          policy: this.opts.policy,
          dropNonRetryableData: doc.dropNonRetryableData,
          maxAgeSeconds: doc.maxAgeSeconds,
        };
      },
    });
    this.running.set(r.id, { queue, forwarder });
    forwarder.start();
  }

  // ---------------------------------------------------------------- remotes

  listRemotes(orgID: string, filter: { name?: string; remoteURL?: string } = {}): RemoteDoc[] {
    return [...this.remotes.values()]
      .filter((r) => r.orgID === orgID && (filter.name === undefined || r.name === filter.name) && (filter.remoteURL === undefined || r.remoteURL === filter.remoteURL))
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  remote(id: string): RemoteDoc | undefined {
    return this.remotes.get(id);
  }

  async createRemote(orgID: string, input: RemoteInput): Promise<RemoteDoc> {
    const name = str(input.name, 'name');
    const url = str(input.remoteURL, 'remoteURL');
    const token = str(input.remoteAPIToken, 'remoteAPIToken');
    if (!name) throw hooklineError('BAD_REQUEST', 'name is required');
    if (!url) throw hooklineError('BAD_REQUEST', 'remoteURL is required');
    if (!token) throw hooklineError('BAD_REQUEST', 'remoteAPIToken is required');
    const id = newId();
    const doc: RemoteDoc = {
      id,
      orgID,
      name,
      description: str(input.description, 'description'),
      remoteURL: checkUrl(url),
      remoteOrgID: str(input.remoteOrgID, 'remoteOrgID') || undefined,
      allowInsecureTLS: input.allowInsecureTLS === true,
      tokenCipher: encryptSecret(await this.keyOf(), `remote.${id}`, token),
    };
    await this.remotes.put(id, doc);
    return doc;
  }

  async updateRemote(id: string, input: RemoteInput): Promise<RemoteDoc> {
    const old = this.remotes.get(id);
    if (!old) throw hooklineError('NOT_FOUND', 'remote not found');
    const token = str(input.remoteAPIToken, 'remoteAPIToken');
    const url = str(input.remoteURL, 'remoteURL');
    const doc: RemoteDoc = {
      ...old,
      name: str(input.name, 'name') || old.name,
      description: input.description !== undefined ? str(input.description, 'description') : old.description,
      remoteURL: url ? checkUrl(url) : old.remoteURL,
      remoteOrgID: input.remoteOrgID !== undefined ? str(input.remoteOrgID, 'remoteOrgID') || undefined : old.remoteOrgID,
      allowInsecureTLS: typeof input.allowInsecureTLS === 'boolean' ? input.allowInsecureTLS : old.allowInsecureTLS,
      tokenCipher: token ? encryptSecret(await this.keyOf(), `remote.${id}`, token) : old.tokenCipher,
    };
    await this.remotes.put(id, doc);
    this.pokeAll();
    return doc;
  }

  async deleteRemote(id: string): Promise<void> {
    const users = [...this.replications.values()].filter((r) => r.remoteID === id);
    if (users.length > 0) throw hooklineError('CONFLICT', `remote is used by replications ${users.map((r) => r.name).join(', ')}: delete them first`);
    await this.remotes.delete(id);
  }

  // ---------------------------------------------------------------- replications

  listReplications(orgID: string, filter: { name?: string; remoteID?: string; localBucketID?: string } = {}): ReplicationDoc[] {
    return [...this.replications.values()]
      .filter(
        (r) =>
          r.orgID === orgID &&
          (filter.name === undefined || r.name === filter.name) &&
          (filter.remoteID === undefined || r.remoteID === filter.remoteID) &&
          (filter.localBucketID === undefined || r.localBucketID === filter.localBucketID),
      )
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  replication(id: string): ReplicationDoc | undefined {
    return this.replications.get(id);
  }

  status(id: string): ReplicationStatus {
    return this.running.get(id)?.forwarder.status() ?? { currentQueueSizeBytes: 0, remainingBytesToBeSynced: 0 };
  }

  private queueBytes(v: unknown): number {
    if (v === undefined || v === null) return DEFAULT_QUEUE_BYTES;
    const n = Number(v);
    if (!Number.isInteger(n) || n < MIN_QUEUE_BYTES || n > this.opts.maxQueueBytes) {
      throw hooklineError('REPLICATION_QUEUE_LIMIT', `maxQueueSizeBytes must be an integer from ${MIN_QUEUE_BYTES} to ${this.opts.maxQueueBytes} (HOOKLINE_REPLICATION_MAX_QUEUE_BYTES), got ${String(v)}`);
    }
    return n;
  }

  private maxAge(v: unknown, dflt: number): number {
    if (v === undefined || v === null) return dflt;
    const n = Number(v);
    if (!Number.isInteger(n) || n < 0) throw hooklineError('BAD_REQUEST', 'maxAgeSeconds must be a whole number of seconds, 0 or more');
    return n;
  }

  /** `localBucketOk` checks the bucket exists in the org (tenancy is the caller's). */
  async createReplication(orgID: string, input: ReplicationInput): Promise<ReplicationDoc> {
    const name = str(input.name, 'name');
    const remoteID = str(input.remoteID, 'remoteID');
    const localBucketID = str(input.localBucketID, 'localBucketID');
    if (!name) throw hooklineError('BAD_REQUEST', 'name is required');
    if (!remoteID) throw hooklineError('BAD_REQUEST', 'remoteID is required');
    if (!localBucketID) throw hooklineError('BAD_REQUEST', 'localBucketID is required');
    const remote = this.remotes.get(remoteID);
    if (!remote || remote.orgID !== orgID) throw hooklineError('NOT_FOUND', `remote ${remoteID} not found`);
    const remoteBucketID = str(input.remoteBucketID, 'remoteBucketID') || undefined;
    const remoteBucketName = str(input.remoteBucketName, 'remoteBucketName') || undefined;
    if (!remoteBucketID && !remoteBucketName) throw hooklineError('BAD_REQUEST', 'remoteBucketID or remoteBucketName is required');
    const doc: ReplicationDoc = {
      id: newId(),
      orgID,
      name,
      description: str(input.description, 'description'),
      remoteID,
      localBucketID,
      remoteBucketID,
      remoteBucketName,
      maxQueueSizeBytes: this.queueBytes(input.maxQueueSizeBytes),
      dropNonRetryableData: input.dropNonRetryableData === true,
      maxAgeSeconds: this.maxAge(input.maxAgeSeconds, DEFAULT_MAX_AGE_SECONDS),
    };
    await this.replications.put(doc.id, doc);
    await this.ensureRunning(doc);
    this.reindex();
    return doc;
  }

  async updateReplication(id: string, input: ReplicationInput): Promise<ReplicationDoc> {
    const old = this.replications.get(id);
    if (!old) throw hooklineError('NOT_FOUND', 'replication not found');
    const remoteID = str(input.remoteID, 'remoteID') || old.remoteID;
    const remote = this.remotes.get(remoteID);
    if (!remote || remote.orgID !== old.orgID) throw hooklineError('NOT_FOUND', `remote ${remoteID} not found`);
    const doc: ReplicationDoc = {
      ...old,
      name: str(input.name, 'name') || old.name,
      description: input.description !== undefined ? str(input.description, 'description') : old.description,
      remoteID,
      remoteBucketID: input.remoteBucketID !== undefined ? str(input.remoteBucketID, 'remoteBucketID') || undefined : old.remoteBucketID,
      remoteBucketName: input.remoteBucketName !== undefined ? str(input.remoteBucketName, 'remoteBucketName') || undefined : old.remoteBucketName,
      maxQueueSizeBytes: input.maxQueueSizeBytes !== undefined ? this.queueBytes(input.maxQueueSizeBytes) : old.maxQueueSizeBytes,
      dropNonRetryableData: typeof input.dropNonRetryableData === 'boolean' ? input.dropNonRetryableData : old.dropNonRetryableData,
      maxAgeSeconds: this.maxAge(input.maxAgeSeconds, old.maxAgeSeconds),
    };
    if (!doc.remoteBucketID && !doc.remoteBucketName) throw hooklineError('BAD_REQUEST', 'remoteBucketID or remoteBucketName is required');
    await this.replications.put(id, doc);
    const run = this.running.get(id);
    if (run) {
      run.queue.maxBytes = doc.maxQueueSizeBytes;
      run.forwarder.poke();
    }
    this.reindex();
    return doc;
  }

  async deleteReplication(id: string): Promise<void> {
    await this.replications.delete(id);
    this.reindex();
    await this.stopOne(id, true);
  }

  /** The local bucket is gone: its replications go too (InfluxDB deletes them with the bucket). */
  async bucketDeleted(bucketId: string): Promise<void> {
    for (const r of this.byBucket.get(bucketId) ?? []) await this.deleteReplication(r.id);
  }

  private pokeAll(): void {
    for (const r of this.running.values()) r.forwarder.poke();
  }

  // ---------------------------------------------------------------- the write path

  /** True when writes to the bucket are replicated (cheap: asked on every write). */
  replicates(bucketId: string): boolean {
    return this.byBucket.has(bucketId);
  }

  /**
   * Queues a stored write of a local bucket (replicating-point-store.ts's
   * record) for each of its replications; resolves once it is on disk. A full queue drops the
   * batch for that replication (the local write stands), as InfluxDB does,
   * and says so in latestErrorMessage.
   */
  async enqueue(bucketId: string, record: Buffer): Promise<void> {
    for (const r of this.byBucket.get(bucketId) ?? []) {
      const run = this.running.get(r.id);
      if (!run) continue;
      try {
        if (!(await run.queue.enqueue(record))) {
          run.forwarder.latestErrorMessage = `queue full (maxQueueSizeBytes ${r.maxQueueSizeBytes}): writes dropped for this replication`;
          this.opts.log.warn('replication queue full; dropping the write for it', { replication: r.id, bytes: record.length });
        }
      } catch (e) {
        run.forwarder.latestErrorMessage = `queue write failed: ${(e as Error).message}`;
        this.opts.log.warn('replication queue write failed', { replication: r.id, error: String(e) });
      }
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.all([...this.starting.values()].map((p) => p.catch(() => undefined)));
    for (const id of [...this.running.keys()]) await this.stopOne(id, false);
  }
}
