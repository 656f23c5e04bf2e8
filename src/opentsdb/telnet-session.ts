// One telnet-style connection, OpenTSDB's line protocol of commands. Like
// aedes' broker.handle(stream), it owns no socket: it takes any Duplex, so
// tests drive it in memory and the listener hands it TCP (or TLS) sockets.
//   put <metric> <ts> <value> <k=v>...   nothing on success, one error line otherwise
//   auth <token> [<bucket>]              hookline's: authenticate this connection
//   version | help | exit | dropcaches   as OpenTSDB's RpcManager answers them
//   anything else                        "unknown command: <word>.  Try `help'."
// Without `auth`, the connection has the rights of HOOKLINE_OPENTSDB_TELNET_TOKEN
// (for collectd's write_tsdb and tcollector, which cannot authenticate), or none.
// Lines are at most 1024 bytes (LineBasedFrameDecoder(1024)); a longer line
// closes the connection, as OpenTSDB's decoder error does.
// Points of one read are written together (one WAL record, one fsync); errors
// the store reports come back as "put: storage error: <why>".

import type { Duplex } from 'node:stream';
import type { Config } from '../config/schema.ts';
import { MAX_LINE_BYTES, parsePut, splitWords } from '../ingest/opentsdb/parse-telnet.ts';
import type { OpenTsdbMode, ValidPoint } from '../ingest/opentsdb/validate-point.ts';
import type { IngestPipeline } from '../ingest/pipeline.ts';
import type { StoreLogger } from '../storage/store.ts';
import type { Authorization } from '../tenancy/model.ts';
import type { Tenancy } from '../tenancy/tenancy.ts';
import { storePoints } from './store-points.ts';
import { modeOf, resolveBucket } from './target.ts';

export interface TelnetDeps {
  config: Config;
  /** Where `put` batches go: the one ingest call. */
  ingest: IngestPipeline;
  tenancy: Tenancy;
  logger: StoreLogger;
}

/** OpenTSDB's "version" answer: BuildData.revisionString() and buildString(). */
export const TELNET_VERSION = 'hookline built at revision hookline (MINT): OpenTSDB 2.4.0 API\nBuilt by hookline\n';
const COMMANDS = ['put', 'auth', 'version', 'help', 'exit', 'dropcaches'];

interface Target {
  bucketId: string;
  mode: OpenTsdbMode;
}

export function handleTelnet(stream: Duplex, deps: TelnetDeps, head?: Buffer): void {
  let target: Target | undefined;
  let denied = 'send `auth <token>` first';
  // The operator's token for clients that cannot authenticate.
  if (deps.config.opentsdbTelnetToken) {
    try {
      target = targetOf(deps, deps.tenancy.authenticate(deps.config.opentsdbTelnetToken));
    } catch (e) {
      denied = `HOOKLINE_OPENTSDB_TELNET_TOKEN: ${(e as Error).message}`;
    }
  }
  let pending: Buffer = Buffer.alloc(0);
  let closed = false;
  let chain = Promise.resolve();

  const onData = (chunk: Buffer) => {
    pending = pending.length === 0 ? chunk : Buffer.concat([pending, chunk]);
    const lines: string[] = [];
    let start = 0;
    for (let nl = pending.indexOf(10, start); nl >= 0; nl = pending.indexOf(10, start)) {
      const end = nl > start && pending[nl - 1] === 13 ? nl - 1 : nl;
      if (end - start > MAX_LINE_BYTES) return tooLong();
      lines.push(pending.toString('utf8', start, end));
      start = nl + 1;
    }
    pending = pending.subarray(start);
    if (pending.length > MAX_LINE_BYTES) return tooLong();
    if (lines.length === 0) return;
    // One batch at a time, in order; reading pauses meanwhile (backpressure).
    stream.pause();
    chain = chain
      .then(() => run(lines))
      .catch((e) => {
        deps.logger.error('telnet session failed', { error: String(e) });
        close();
      })
      .finally(() => {
        if (!closed) stream.resume();
      });
  };

  const tooLong = () => {
    write(`error: line exceeds ${MAX_LINE_BYTES} bytes, closing\n`);
    close();
  };

  const write = (s: string) => {
    if (!closed && s) stream.write(s);
  };

  const close = () => {
    if (closed) return;
    closed = true;
    stream.off('data', onData);
    stream.end();
  };

  async function run(lines: string[]): Promise<void> {
    let out = '';
    let batch: ValidPoint[] = [];
    let batchTarget = target;
    const flush = async () => {
      if (batch.length > 0 && batchTarget) {
        try {
          const failed = await storePoints(deps.ingest, batchTarget.bucketId, batch, Date.now());
          for (const why of failed.values()) out += `put: storage error: ${why}\n`;
        } catch (e) {
          // OpenTSDB's PutErrback: "put: HBase error: <message>".
          out += `put: storage error: ${(e as Error).message}\n`;
        }
      }
      batch = [];
      write(out);
      out = '';
    };
    for (const line of lines) {
      if (closed) return;
      // OpenTSDB decodes lines as ISO-8859-1; hookline reads UTF-8, so names keep their letters.
      if (line === '') continue;
      const words = splitWords(line);
      switch (words[0]) {
        case 'put': {
          if (!target) {
            out += `put: unauthorized: ${denied}\n`;
            break;
          }
          const r = parsePut(words, target.mode, Date.now());
          if (r.ok) batch.push(r.point);
          else out += r.error;
          break;
        }
        case 'auth': {
          await flush();
          try {
            target = targetOf(deps, deps.tenancy.authenticate(words[1] ?? ''), words[2]);
            batchTarget = target;
          } catch (e) {
            out += `auth: unauthorized: ${(e as Error).message}\n`;
          }
          break;
        }
        case 'version':
          out += TELNET_VERSION;
          break;
        case 'help':
          out += `available commands: ${COMMANDS.join(' ')} \n`;
          break;
        case 'dropcaches':
          out += 'Caches dropped.\n';
          break;
        case 'exit':
          await flush();
          close();
          return;
        default:
          out += `unknown command: ${words[0]}.  Try \`help'.\n`;
      }
    }
    await flush();
  }

  stream.on('data', onData);
  stream.on('error', () => close());
  stream.on('close', () => {
    closed = true;
  });
  if (head && head.length > 0) onData(head);
}

function targetOf(deps: TelnetDeps, auth: Authorization | undefined, bucket?: string): Target {
  if (!auth || auth.status !== 'active') throw new Error('invalid token');
  const b = resolveBucket(deps.tenancy, auth, { bucket }, 'write');
  return { bucketId: b.id, mode: modeOf(auth, deps.config) };
}
