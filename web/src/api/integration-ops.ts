// The parts of the integrations API beyond Particle's own (docs/particle.md):
//   POST /v1/integrations/:id/test and /v1/integrations/test (an unsaved definition):
//        the exact request a sample event renders (secrets masked), and what happened when sent
//   GET  /api/hookline/integrations/:id/log       the delivery log, newest first
//   GET  /api/hookline/integrations/:id/counters  success/error/skipped per UTC day, newest first

import { call } from './client.ts';

export interface RenderedRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: string;
}

export interface SentResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
  bytes?: number;
}

export interface TestReport {
  ok: boolean;
  event: { name: string; data: string | null; coreid: string; published_at: string };
  request?: RenderedRequest;
  sent: boolean;
  success?: boolean;
  message: string;
  status?: number;
  latencyMs?: number;
  response?: SentResponse;
  /** What a real delivery would publish back (hook-sent, hook-response/..., hook-error/...). */
  events?: Array<{ name: string; data: string }>;
}

export interface TestInput {
  data: string;
  deviceId?: string;
  /** Event name; default: the integration's own event. */
  name?: string;
  send: boolean;
}

export function testIntegration(target: { id: string } | { definition: Record<string, unknown> }, input: TestInput): Promise<TestReport> {
  const body = { data: input.data, deviceId: input.deviceId || undefined, name: input.name || undefined, send: input.send };
  if ('id' in target) return call<TestReport>(`/v1/integrations/${encodeURIComponent(target.id)}/test`, { method: 'POST', json: body });
  return call<TestReport>('/v1/integrations/test', { method: 'POST', json: { ...body, integration: target.definition } });
}

export interface DeliveryLogEntry {
  at: string;
  eventId: string;
  eventName: string;
  coreid: string;
  attempt: number;
  outcome: 'success' | 'error' | 'skipped';
  latencyMs?: number;
  request?: RenderedRequest;
  response?: SentResponse;
  error?: string;
  next?: string;
  /** When the next attempt is due (RFC 3339 UTC). */
  retryAt?: string;
}

export const deliveryLog = async (id: string, limit = 200): Promise<DeliveryLogEntry[]> =>
  (await call<{ entries: DeliveryLogEntry[] }>(`/api/hookline/integrations/${encodeURIComponent(id)}/log?limit=${limit}`)).entries ?? [];

export interface DayCounts {
  date: string;
  success: number;
  error: number;
  skipped: number;
}

export const counters = async (id: string): Promise<DayCounts[]> => (await call<{ days: DayCounts[] }>(`/api/hookline/integrations/${encodeURIComponent(id)}/counters`)).days ?? [];

// Failures a user can see and act on (issue 12):
//   GET  /api/hookline/integrations/:id/status        the state in one line, failures grouped by cause
//   POST /api/hookline/integrations/:id/retry         wake the sleeping host, retry the waiting deliveries now
//   GET  /api/hookline/integrations/:id/dead-letters  its dead letters; POST .../replay (all) or .../:eventId/replay

export interface CauseCount {
  cause: string;
  count: number;
  first: string;
  last: string;
}

export interface IntegrationStatus {
  state: 'healthy' | 'failing' | 'sleeping';
  summary: string;
  since: string | null;
  cause: string | null;
  attempts: number;
  skipped: number;
  sleepingUntil: string | null;
  host: string | null;
  lastSuccess: string | null;
  waiting: number | null;
  deadLetters: number;
  failures: CauseCount[];
  warning: string | null;
}

export const integrationStatus = (id: string) => call<IntegrationStatus>(`/api/hookline/integrations/${encodeURIComponent(id)}/status`);

export const retryNow = (id: string) => call<{ host: string | null; woken: boolean; retried: number }>(`/api/hookline/integrations/${encodeURIComponent(id)}/retry`, { method: 'POST' });

export interface DeadLetter {
  integrationId: string;
  attempts: number;
  reason: string;
  at: string;
  event: { id: string; name: string; data: string | null; coreid: string; published_at: string };
}

export const deadLetters = (id: string, limit = 100) => call<{ deadLetters: DeadLetter[]; total: number }>(`/api/hookline/integrations/${encodeURIComponent(id)}/dead-letters?limit=${limit}`);

export const replayDeadLetter = (id: string, eventId: string) =>
  call<{ queued: number }>(`/api/hookline/integrations/${encodeURIComponent(id)}/dead-letters/${encodeURIComponent(eventId)}/replay`, { method: 'POST' });

export const replayAllDeadLetters = (id: string) => call<{ queued: number }>(`/api/hookline/integrations/${encodeURIComponent(id)}/dead-letters/replay`, { method: 'POST' });
