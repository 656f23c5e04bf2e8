// Device state (issue 13): per device, when it was last seen (an event or a
// point), whether it is online (seen within its bucket's window, else
// HOOKLINE_DEVICE_ONLINE_AFTER) and the last value of every field it writes,
// served from the last-value cache (memory), never by a query. In line
// protocol a device is the value of one tag, `device` unless the bucket says
// otherwise (PUT /api/hookline/buckets/:id/device-settings); a registered
// device (Particle-style, with events) is matched by its id or its name.

import type { Collection } from '../core/ports/collection.ts';
import { parseDuration } from '../config/parse-values.ts';
import type { LastValueCache, LastField } from './last-value-cache.ts';

export interface DeviceSettingsDoc {
  bucketId: string;
  orgId: string;
  deviceTag: string;
  /** Online window of this bucket's devices (a duration), else the default. */
  onlineAfter?: string;
}

export interface RegisteredDevice {
  id: string;
  name: string;
  last_heard: string | null;
}

export interface DeviceState {
  device: string;
  /** The registered device it is, if any. */
  id: string | null;
  name: string | null;
  lastSeen: string | null;
  online: boolean;
  /** Last value of each field, by bucket and measurement. */
  values: Record<string, Record<string, Record<string, { value: LastField['value']; time: string }>>>;
}

export const DEFAULT_DEVICE_TAG = 'device';

export class DeviceStates {
  constructor(
    private readonly deps: {
      lvc: LastValueCache;
      settings: Collection<DeviceSettingsDoc>;
      defaultOnlineMs: number;
      now?: () => number;
    },
  ) {}

  settingsOf(bucketId: string): { deviceTag: string; onlineAfter: string | null } {
    const s = this.deps.settings.get(bucketId);
    return { deviceTag: s?.deviceTag ?? DEFAULT_DEVICE_TAG, onlineAfter: s?.onlineAfter ?? null };
  }

  async setSettings(doc: DeviceSettingsDoc): Promise<void> {
    await this.deps.settings.put(doc.bucketId, doc);
  }

  /** Every device of the given buckets (those the caller may read) and registered devices. */
  list(buckets: Array<{ id: string; name: string }>, registered: RegisteredDevice[]): DeviceState[] {
    const now = this.deps.now?.() ?? Date.now();
    const byName = new Map<string, DeviceState & { seen: number; window: number }>();
    const get = (device: string) => {
      let d = byName.get(device);
      if (!d) byName.set(device, (d = { device, id: null, name: null, lastSeen: null, online: false, values: {}, seen: -Infinity, window: this.deps.defaultOnlineMs }));
      return d;
    };
    for (const r of registered) {
      const d = get(r.name);
      d.id = r.id;
      d.name = r.name;
      if (r.last_heard) d.seen = Math.max(d.seen, Date.parse(r.last_heard));
    }
    const ids = new Map(registered.map((r) => [r.id, r.name]));
    for (const b of buckets) {
      const { deviceTag, onlineAfter } = this.settingsOf(b.id);
      const window = onlineAfter ? parseDuration(onlineAfter) : this.deps.defaultOnlineMs;
      for (const [m, series] of this.deps.lvc.measurements(b.id)) {
        for (const s of series.values()) {
          const tag = s.tags[deviceTag];
          if (tag === undefined || tag === '') continue;
          const d = get(ids.get(tag) ?? tag);
          d.window = onlineAfter ? window : d.window;
          if (s.lastSeen > d.seen) d.seen = s.lastSeen;
          const mv = ((d.values[b.name] ??= {})[m] ??= {});
          for (const [f, v] of s.fields) {
            const cur = mv[f];
            if (!cur || Date.parse(cur.time) <= v.time) mv[f] = { value: v.value, time: new Date(v.time).toISOString() };
          }
        }
      }
    }
    return [...byName.values()]
      .map(({ seen, window, ...d }) => ({ ...d, lastSeen: Number.isFinite(seen) ? new Date(seen).toISOString() : null, online: Number.isFinite(seen) && now - seen <= window }))
      .sort((a, b) => (a.device < b.device ? -1 : 1));
  }
}
