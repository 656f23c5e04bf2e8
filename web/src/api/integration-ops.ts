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
