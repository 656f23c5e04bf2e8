// The store's once-a-second timer: a flush when data has waited
// flushIntervalMs (HOOKLINE_FLUSH_INTERVAL), and retention plus compaction
// every maintenanceIntervalMs. Both read the store's clock (StoreOptions.now).

import { flush } from './flush.ts';
import { maintain } from './maintain.ts';
import type { StoreState } from './state.ts';

export function startTimers(s: StoreState): void {
  s.timers.push(setInterval(() => tick(s), 1000).unref());
}

export function tick(s: StoreState): void {
  if (s.closed) return;
  if (!s.flushing && s.now() - s.lastFlush >= s.opts.flushIntervalMs && s.activeRows() > 0) {
    void flush(s).catch((e) => s.opts.logger.error('flush failed', { error: String(e) }));
  }
  if (!s.maintenanceRunning && s.now() - s.lastMaintenance >= s.opts.maintenanceIntervalMs) {
    s.lastMaintenance = s.now();
    s.maintenanceRunning = s
      .serially(() => maintain(s))
      .catch((e) => s.opts.logger.error('maintenance failed', { error: String(e) }))
      .finally(() => (s.maintenanceRunning = undefined));
  }
}
