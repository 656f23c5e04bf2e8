// Checks and device state (issue 13): /api/hookline/checks and /api/hookline/devices/state.

import { call } from './client.ts';

export interface SeriesStateView {
  tags: Record<string, string>;
  level: string;
  value: number | null;
  since: string;
  pending: { level: string; since: string } | null;
  lastSeen: string | null;
}

export interface Check {
  id: string;
  name: string;
  type: 'threshold' | 'deadman';
  bucket: string;
  every: string;
  for?: string;
  message?: string;
  language?: 'influxql' | 'sql';
  query?: string;
  levels?: Record<string, string>;
  measurement?: string;
  groupBy?: string[];
  staleAfter?: string;
  level?: string;
  state: { level: string; error: string | null; lastRun: string | null; series: SeriesStateView[] };
}

export interface DeviceStateView {
  device: string;
  id: string | null;
  name: string | null;
  lastSeen: string | null;
  online: boolean;
  values: Record<string, Record<string, Record<string, { value: unknown; time: string }>>>;
}

export const listChecks = () => call<{ checks: Check[] }>('/api/hookline/checks').then((r) => r.checks);
export const createCheck = (body: Record<string, unknown>) => call<Check>('/api/hookline/checks', { json: body });
export const deleteCheck = (id: string) => call(`/api/hookline/checks/${encodeURIComponent(id)}`, { method: 'DELETE' });
export const previewCheck = (body: Record<string, unknown>) => call<{ series: Array<{ tags: Record<string, string>; value: number | null; level: string }> }>('/api/hookline/checks/preview', { json: body });
export const checkStatuses = (id: string) => call<{ statuses: Array<Record<string, unknown>> }>(`/api/hookline/checks/${encodeURIComponent(id)}/statuses?limit=50`).then((r) => r.statuses);
export const deviceStates = () => call<{ devices: DeviceStateView[] }>('/api/hookline/devices/state').then((r) => r.devices);
