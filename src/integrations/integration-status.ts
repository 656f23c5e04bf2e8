// An integration's current state in one line (issue 12): healthy; failing
// since T with cause X after N attempts; or its host sleeping (the circuit
// breaker is open) until T, the skipped deliveries folded into that state.
// Failures are grouped by cause. Every time is RFC 3339 UTC with
// milliseconds (Date.toISOString()). Pure: the parts are passed in.

import type { HostState } from './circuit-breaker.ts';
import type { CauseCount, FailureEpisode } from './delivery-log.ts';

export type IntegrationState = 'healthy' | 'failing' | 'sleeping';

export interface IntegrationStatus {
  state: IntegrationState;
  /** One sentence saying the above, for people. */
  summary: string;
  since: string | null;
  cause: string | null;
  attempts: number;
  skipped: number;
  sleepingUntil: string | null;
  host: string | null;
  lastSuccess: string | null;
  /** Deliveries waiting for a retry (null when the queue cannot tell: NATS). */
  waiting: number | null;
  deadLetters: number;
  failures: CauseCount[];
  /** Set when the URL points at this hub by a scheme or port it does not serve. */
  warning: string | null;
}

export interface StatusInput {
  episode?: FailureEpisode;
  lastSuccess?: string;
  causes: CauseCount[];
  host?: string;
  breaker: { state: HostState; until?: number };
  waiting?: number;
  deadLetters: number;
  warning?: string;
  disabled: boolean;
}

const iso = (ms: number) => new Date(ms).toISOString();

export function integrationStatus(x: StatusInput): IntegrationStatus {
  const sleeping = x.breaker.state !== 'closed';
  const ep = x.episode;
  const state: IntegrationState = sleeping ? 'sleeping' : ep && ep.attempts > 0 ? 'failing' : 'healthy';
  const sleepingUntil = sleeping && x.breaker.until !== undefined ? iso(x.breaker.until) : null;
  let summary: string;
  if (state === 'healthy') summary = x.lastSuccess ? `healthy: last delivered at ${x.lastSuccess}` : 'healthy: nothing delivered yet';
  else {
    const fail = ep && ep.attempts > 0 ? `failing since ${ep.since} with ${ep.cause}, ${ep.attempts} attempt${ep.attempts === 1 ? '' : 's'}` : '';
    if (state === 'failing') summary = fail;
    else {
      const when = x.breaker.state === 'half-open' ? 'awake for one probe request' : `sleeping until ${sleepingUntil}`;
      summary = `host ${x.host} ${when} (too many errors)${ep?.skipped ? `, ${ep.skipped} deliveries skipped` : ''}${fail ? `; ${fail}` : ''}`;
    }
  }
  if (x.disabled) summary = `disabled; ${summary}`;
  return {
    state,
    summary,
    since: ep && state !== 'healthy' ? ep.since : null,
    cause: state !== 'healthy' ? (ep?.cause ?? null) : null,
    attempts: state !== 'healthy' ? (ep?.attempts ?? 0) : 0,
    skipped: state !== 'healthy' ? (ep?.skipped ?? 0) : 0,
    sleepingUntil,
    host: x.host ?? null,
    lastSuccess: x.lastSuccess ?? null,
    waiting: x.waiting ?? null,
    deadLetters: x.deadLetters,
    failures: x.causes,
    warning: x.warning ?? null,
  };
}
