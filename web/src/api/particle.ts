// Particle-compatible device, event, integration and secret API (issue 4;
// docs/particle.md). Shapes follow Particle's Cloud API.

import { call, request } from './client.ts';

export interface Device {
  id: string;
  name: string | null;
  last_heard?: string | null;
  online?: boolean;
  connected?: boolean;
  [k: string]: unknown;
}

export const listDevices = async (): Promise<Device[]> => {
  const body = await call<Device[] | { devices: Device[] }>('/v1/devices');
  return Array.isArray(body) ? body : (body.devices ?? []);
};

export const createDevice = (d: { name?: string; id?: string }) => call<{ id: string; name: string; token: string }>('/v1/devices', { method: 'POST', json: d });

export const getDevice = (idOrName: string) => call<Device>(`/v1/devices/${encodeURIComponent(idOrName)}`);

export const renameDevice = (id: string, name: string) => call<{ id: string; name: string }>(`/v1/devices/${encodeURIComponent(id)}`, { method: 'PUT', json: { name } });

/** A device counts as online when heard within this window: the server's own rule (GET /v1/devices `online`). */
export const ONLINE_MS = 5 * 60_000;

export const deleteDevice = (id: string) => call(`/v1/devices/${encodeURIComponent(id)}`, { method: 'DELETE' });

export const publishEvent = (e: { name: string; data?: string; private?: boolean }, token?: string) =>
  call<{ ok: boolean }>('/v1/devices/events', { method: 'POST', json: e, token });

export interface Integration {
  id: string;
  name?: string;
  event: string;
  url: string;
  requestType?: string;
  disabled?: boolean;
  created_at?: string;
  integration_type?: string;
  [k: string]: unknown;
}

export const listIntegrations = async (): Promise<Integration[]> => {
  const body = await call<Integration[] | { integrations?: Integration[]; webhooks?: Integration[] }>('/v1/integrations');
  return Array.isArray(body) ? body : (body.integrations ?? body.webhooks ?? []);
};

export const getIntegration = async (id: string): Promise<Integration> => {
  const body = await call<Integration & { integration?: Integration }>(`/v1/integrations/${encodeURIComponent(id)}`);
  return body.integration ?? body;
};

export const createIntegration = (t: Record<string, unknown>) =>
  call<Integration>('/v1/integrations', { method: 'POST', json: { integration_type: 'Webhook', ...t } });

export const updateIntegration = (id: string, t: Record<string, unknown>) =>
  call<Integration>(`/v1/integrations/${encodeURIComponent(id)}`, { method: 'PUT', json: { integration_type: 'Webhook', ...t } });

export const deleteIntegration = (id: string) => call(`/v1/integrations/${encodeURIComponent(id)}`, { method: 'DELETE' });

export interface Secret {
  name: string;
  created_at?: string;
  updated_at?: string;
  last_accessed_at?: string | null;
  integrations?: Array<{ name?: string; id?: string }>;
  logic_functions?: unknown[];
}

export const listSecrets = async (): Promise<Secret[]> => (await call<{ secrets: Secret[] }>('/v1/secrets')).secrets ?? [];

export const putSecret = (name: string, value: string) => call(`/v1/secrets/${encodeURIComponent(name)}`, { method: 'PUT', json: { secret: { value } } });

export const deleteSecret = (name: string) => call(`/v1/secrets/${encodeURIComponent(name)}`, { method: 'DELETE' });

/** Probe for an endpoint family that may not exist on an older server. */
export async function exists(path: string): Promise<boolean> {
  const r = await request(path);
  return r.status !== 404;
}

export interface RecordedEvent {
  id?: string;
  name: string;
  data: string | null;
  ttl?: number;
  published_at: string;
  coreid: string;
}

/** Recent events kept by hookline (HOOKLINE_EVENT_HISTORY per device), newest first. */
export const recentEvents = async (deviceId?: string, limit = 50): Promise<RecordedEvent[]> =>
  (await call<{ events: RecordedEvent[] }>(deviceId ? `/api/hookline/devices/${encodeURIComponent(deviceId)}/events?limit=${limit}` : `/api/hookline/events?limit=${limit}`)).events ?? [];
