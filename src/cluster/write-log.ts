// The cluster's write log (issue 16): with HOOKLINE_NATS_URL every change of
// the time series (writes, deletes, measurement drops) is a message in one
// JetStream stream, <ns>_writes (file storage, HOOKLINE_NATS_REPLICAS copies:
// R3 on a three-server NATS cluster). A write is answered only once JetStream
// has stored it, so an acknowledged point survives the loss of any hookline
// node. Every node reads the stream in order with an ordered consumer
// (docs.nats.io, "JetStream consumers": an ordered consumer redelivers
// nothing out of order and recreates itself at the right sequence) and
// applies each entry to its own store, so every node holds every point; the
// position it applied up to is kept in <dataDir>/cluster-position, so a node
// that was down continues from there. Replaying a suffix of the log again
// (after a crash between the local write and the position file) reaches the
// same state: a point is its series and time, the later write wins.
//
// A body larger than the server's max_payload is sent as parts of one group
// and applied once the last part is read, as one write: never refused.

import { randomBytes } from 'node:crypto';
import { readFile, rename, writeFile } from 'node:fs/promises';
import { DeliverPolicy, DiscardPolicy, headers as natsHeaders, nanos, RetentionPolicy, StorageType, type JetStreamClient, type JetStreamManager, type JsMsg } from 'nats';
import { ERRORS, HooklineError } from '../core/errors.ts';
import type { Logger } from '../core/logger.ts';
import { decodeEntry, encodeEntry, type LogEntry } from './log-entry.ts';

export interface WriteLogOptions {
  js: JetStreamClient;
  jsm: JetStreamManager;
  /** Cluster name: the prefix of the stream and its subject. */
  ns: string;
  replicas: number;
  /** Entries older than this leave the stream (a node down longer is restored from a backup). */
  maxAgeMs: number;
  /** The stream's size bound: beyond it writes are refused (503), never dropped. */
  maxBytes: number;
  /** Largest message the server takes (its max_payload). */
  maxPayload: number;
  /** Where this node keeps the position it applied up to. */
  positionFile: string;
  /** Applies one entry to this node's store; its result answers the write that made the entry, on the node that made it. */
  apply: (e: LogEntry) => Promise<unknown>;
  log: Logger;
}

/** Errors a node waits out and retries the same entry for: the entry must be applied, in order. */
export type IsRetryable = (e: unknown) => boolean;

interface Part {
  seq: number;
  body: Uint8Array;
}

const HEADER_ROOM = 4096;
/** A group whose last part has not come after this many later entries was never completed (its writer died): dropped. */
const GROUP_HORIZON = 10_000;
/** No progress for this long with entries waiting: the consumer is recreated. */
const STALL_MS = 8000;

export class WriteLog {
  private appliedSeq = 0;
  private readonly waiters = new Map<string, { resolve: (v: unknown) => void; reject: (e: unknown) => void }>();
  private readonly positionWaiters: Array<{ seq: number; resolve: () => void }> = [];
  private readonly groups = new Map<string, { parts: Part[]; of: number; firstSeq: number }>();
  private stopConsume: (() => void) | undefined;
  /** The stream's last sequence as last seen (publish acks, stream info), and when this node last moved. */
  private streamLast = 0;
  private progressAt = Date.now();
  private watchdog: NodeJS.Timeout | undefined;
  private consuming: Promise<void> | undefined;
  private savedSeq = 0;
  private saveTimer: NodeJS.Timeout | undefined;
  private closed = false;
  readonly stream: string;
  private readonly subject: string;

  private constructor(
    private readonly o: WriteLogOptions,
    private readonly retryable: IsRetryable,
  ) {
    this.stream = `${o.ns}_writes`;
    this.subject = `${o.ns}.writes`;
  }

  static async open(o: WriteLogOptions, retryable: IsRetryable): Promise<WriteLog> {
    const w = new WriteLog(o, retryable);
    const config = {
      name: w.stream,
      subjects: [w.subject],
      retention: RetentionPolicy.Limits,
      storage: StorageType.File,
      num_replicas: o.replicas,
      max_age: nanos(o.maxAgeMs),
      max_bytes: o.maxBytes,
      discard: DiscardPolicy.New,
      // Nats-Msg-Id deduplicates a publish the client library retried (docs.nats.io, "JetStream model deep dive").
      duplicate_window: nanos(120_000),
    };
    try {
      await o.jsm.streams.add(config);
    } catch {
      await o.jsm.streams.update(w.stream, config);
    }
    w.appliedSeq = w.savedSeq = await readPosition(o.positionFile);
    return w;
  }

  /** The last entry this node has applied (0: none). */
  get position(): number {
    return this.appliedSeq;
  }

  /** Starts applying the stream from where this node stopped. */
  async start(): Promise<void> {
    const info = await this.o.jsm.streams.info(this.stream);
    if (this.appliedSeq > 0 && info.state.first_seq > this.appliedSeq + 1 && info.state.messages > 0) {
      this.o.log.error('this node missed write-log entries the stream no longer holds (older than HOOKLINE_NATS_WRITE_LOG_MAX_AGE): restore its data from a backup of another node (docs/cluster.md)', {
        applied: this.appliedSeq,
        firstInStream: info.state.first_seq,
      });
    }
    this.consuming = this.run();
    // The watchdog: entries wait in the stream and this node has not moved for
    // a while (its consumer's server died and the client neither reported
    // missed heartbeats nor recovered: seen under load right after a NATS
    // server was killed). The consumer is recreated at the position applied.
    this.watchdog = setInterval(() => void this.checkProgress(), 2000);
    this.watchdog.unref();
  }

  /**
   * Reads the stream in order from this node's position, for as long as the
   * log is open. An ordered consumer is an ephemeral, single-replica consumer
   * on one NATS server: when that server dies, nats.js reports missed
   * heartbeats but (v2.29) does not recreate it, so the loop does: it stops
   * the dead one and starts a new one at the position applied so far
   * (re-reading a few entries already applied reaches the same state).
   */
  private async run(): Promise<void> {
    while (!this.closed) {
      try {
        // Parts of a group not completed are read again from the group's first part.
        this.groups.clear();
        // Bounded: right after a NATS server died a request may never be answered.
        const consumer = await within(10_000, this.o.js.consumers.get(this.stream, { deliver_policy: DeliverPolicy.StartSequence, opt_start_seq: this.appliedSeq + 1 }));
        // Pulls that expire every 5 s (nats.js' default is 30 s) bring the
        // heartbeat to a few seconds, so a lost server is noticed in seconds.
        const messages = await within(10_000, consumer.consume({ max_messages: 256, expires: 5000 }));
        this.stopConsume = () => void messages.stop();
        void (async () => {
          for await (const st of await messages.status()) {
            if (st.type === 'heartbeats_missed' && Number(st.data) >= 2) {
              this.o.log.warn('the write log consumer lost its NATS server; recreating it', { position: this.appliedSeq });
              messages.stop();
            }
          }
        })().catch(() => undefined);
        for await (const m of messages) {
          if (this.closed) break;
          await this.handle(m);
        }
      } catch (e) {
        if (this.closed) return;
        this.o.log.warn('the write log consumer failed; retrying', { error: e instanceof Error ? e.message : String(e) });
      }
      if (!this.closed) await new Promise((r) => setTimeout(r, 500));
    }
  }

  /**
   * Appends an entry; resolves with this node's result of applying it (after
   * JetStream stored it and this node applied it) and the entry's position.
   */
  async submit(entry: LogEntry): Promise<{ result: unknown; position: number }> {
    const { meta, body } = encodeEntry(entry);
    const id = randomBytes(12).toString('hex');
    const applied = new Promise<unknown>((resolve, reject) => this.waiters.set(id, { resolve, reject }));
    // The caller may give up on a refused publish: the waiter must not then reject unobserved.
    applied.catch(() => undefined);
    let position = 0;
    try {
      const room = Math.max(1024, this.o.maxPayload - HEADER_ROOM - meta.length);
      const of = Math.max(1, Math.ceil(body.byteLength / room));
      for (let i = 0; i < of; i++) {
        const h = natsHeaders();
        h.set('Hl-Entry', meta);
        h.set('Hl-Id', id);
        if (of > 1) h.set('Hl-Part', `${i + 1}/${of}`);
        const ack = await this.o.js.publish(this.subject, body.subarray(i * room, Math.min(body.byteLength, (i + 1) * room)), { headers: h, msgID: of > 1 ? `${id}-${i}` : id });
        position = ack.seq;
        this.streamLast = Math.max(this.streamLast, ack.seq);
      }
    } catch (e) {
      this.waiters.delete(id);
      throw new HooklineError(ERRORS.CLUSTER_UNAVAILABLE, `the cluster's write log did not take the write: ${e instanceof Error ? e.message : String(e)}`, { retryAfter: 1, cause: e });
    }
    return { result: await applied, position };
  }

  /** Resolves true once this node applied `position`, false after `timeoutMs`. */
  waitApplied(position: number, timeoutMs: number): Promise<boolean> {
    if (this.appliedSeq >= position) return Promise.resolve(true);
    return new Promise((resolve) => {
      const w = { seq: position, resolve: () => resolve(true) };
      this.positionWaiters.push(w);
      const t = setTimeout(() => {
        const i = this.positionWaiters.indexOf(w);
        if (i >= 0) this.positionWaiters.splice(i, 1);
        resolve(false);
      }, timeoutMs);
      t.unref();
    });
  }

  private async handle(m: JsMsg): Promise<void> {
    const meta = m.headers?.get('Hl-Entry') ?? '';
    const id = m.headers?.get('Hl-Id') ?? '';
    const part = m.headers?.get('Hl-Part') ?? '';
    let body = m.data;
    if (part) {
      const [i, of] = part.split('/').map(Number);
      const g = this.groups.get(id) ?? { parts: [], of, firstSeq: m.seq };
      this.groups.set(id, g);
      g.parts[i - 1] = { seq: m.seq, body: m.data };
      this.dropStaleGroups(m.seq);
      if (g.parts.filter(Boolean).length < g.of) return this.advance(m.seq);
      this.groups.delete(id);
      body = Buffer.concat(g.parts.map((p) => p.body));
    }
    let entry: LogEntry | undefined;
    try {
      entry = decodeEntry(meta, body);
    } catch (e) {
      this.o.log.error('unreadable write-log entry skipped', { seq: m.seq, error: e instanceof Error ? e.message : String(e) });
    }
    let outcome: { ok: true; value: unknown } | { ok: false; error: unknown } = { ok: true, value: undefined };
    if (entry) {
      for (let attempt = 0; ; attempt++) {
        try {
          outcome = { ok: true, value: await this.o.apply(entry) };
          break;
        } catch (e) {
          if (this.closed) return;
          if (this.retryable(e)) {
            // A full write buffer or a disk hiccup: the entry waits, the log keeps its order.
            await new Promise((r) => setTimeout(r, Math.min(2000, 50 * 2 ** attempt)));
            continue;
          }
          outcome = { ok: false, error: e };
          if (!(e instanceof HooklineError)) this.o.log.error('a write-log entry failed on this node', { seq: m.seq, error: e instanceof Error ? e.message : String(e) });
          break;
        }
      }
    }
    const w = this.waiters.get(id);
    if (w) {
      this.waiters.delete(id);
      if (outcome.ok) w.resolve(outcome.value);
      else w.reject(outcome.error);
    }
    this.advance(m.seq);
  }

  private async checkProgress(): Promise<void> {
    if (this.closed) return;
    try {
      this.streamLast = Math.max(this.streamLast, (await this.o.jsm.streams.info(this.stream)).state.last_seq);
    } catch {
      // NATS busy or out of reach: the next round asks again.
    }
    if (this.streamLast > this.appliedSeq && Date.now() - this.progressAt > STALL_MS && this.stopConsume) {
      this.o.log.warn('the write log consumer made no progress with entries waiting; recreating it', { position: this.appliedSeq, streamLast: this.streamLast });
      this.progressAt = Date.now();
      this.stopConsume();
    }
  }

  private advance(seq: number): void {
    this.progressAt = Date.now();
    // The position never passes the first part of a group still incomplete: a restart must read that group again.
    let floor = seq;
    for (const g of this.groups.values()) floor = Math.min(floor, g.firstSeq - 1);
    if (floor > this.appliedSeq) this.appliedSeq = floor;
    for (let i = this.positionWaiters.length - 1; i >= 0; i--) {
      if (this.positionWaiters[i].seq <= this.appliedSeq) {
        this.positionWaiters[i].resolve();
        this.positionWaiters.splice(i, 1);
      }
    }
    this.scheduleSave();
  }

  private dropStaleGroups(seq: number): void {
    for (const [id, g] of this.groups) {
      if (seq - g.firstSeq > GROUP_HORIZON) {
        this.groups.delete(id);
        this.o.log.warn('an incomplete multi-part write was dropped from the write log (its writer never finished it, so it was never acknowledged)', { firstSeq: g.firstSeq });
      }
    }
  }

  private scheduleSave(): void {
    if (this.saveTimer || this.closed) return;
    this.saveTimer = setTimeout(() => {
      this.saveTimer = undefined;
      void this.savePosition();
    }, 200);
  }

  private async savePosition(): Promise<void> {
    const seq = this.appliedSeq;
    if (seq === this.savedSeq) return;
    try {
      await writeFile(this.o.positionFile + '.tmp', String(seq));
      await rename(this.o.positionFile + '.tmp', this.o.positionFile);
      this.savedSeq = seq;
    } catch (e) {
      this.o.log.warn('could not save the write-log position (it will be read again from an earlier one)', { error: e instanceof Error ? e.message : String(e) });
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    clearInterval(this.watchdog);
    clearTimeout(this.saveTimer);
    this.stopConsume?.();
    await this.consuming;
    await this.savePosition();
    for (const w of this.waiters.values()) w.reject(new HooklineError(ERRORS.CLUSTER_UNAVAILABLE, 'the server is stopping', { retryAfter: 1 }));
    this.waiters.clear();
  }
}

async function readPosition(file: string): Promise<number> {
  try {
    const n = Number((await readFile(file, 'utf8')).trim());
    return Number.isSafeInteger(n) && n >= 0 ? n : 0;
  } catch {
    return 0;
  }
}

/** `p`, or a rejection after `ms`. */
function within<T>(ms: number, p: Promise<T>): Promise<T> {
  let t: NodeJS.Timeout | undefined;
  return Promise.race([p, new Promise<never>((_, reject) => (t = setTimeout(() => reject(new Error(`no answer from NATS within ${ms} ms`)), ms)))]).finally(() => clearTimeout(t));
}
