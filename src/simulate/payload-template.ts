// The simulators' payload templates: a tiny {{name}} substitution over what a
// device knows at each publish. Pure (the clock is passed in), so tests pin it.
//
//   {{count}}   1, 2, 3... per device        {{time}}     epoch seconds
//   {{time_ms}} epoch milliseconds           {{iso}}      RFC 3339 time
//   {{device}}  the device's name            {{value}}    a slow wave around 42, two decimals
//   {{random}}  0..100, two decimals          (like the Wemos' String(double))

export interface PayloadContext {
  count: number;
  nowMs: number;
  device: string;
  /** Seeds {{random}} so runs are reproducible in tests. */
  random?: () => number;
  /** Shifts the wave per device, so devices do not draw one line. */
  phase?: number;
}

export const DEFAULT_PARTICLE_PAYLOAD = '{"count":{{count}},"time":{{time}}}';
/** The Wemos seed's body (metrics.cpp), with its value from the template. */
export const DEFAULT_WEMOS_PAYLOAD = '[{"metric":"universe","value":{{value}},"tags":{}}]';

const NAMES = new Set(['count', 'time', 'time_ms', 'iso', 'device', 'value', 'random']);

export function wave(nowMs: number, phase = 0): number {
  // A 5-minute period: within the explorer's default 15-minute range it shows as a curve.
  return 42 + 8 * Math.sin((2 * Math.PI * nowMs) / 300_000 + phase);
}

export function renderPayload(template: string, ctx: PayloadContext): string {
  return template.replace(/\{\{\s*(\w+)\s*\}\}/g, (whole, name: string) => {
    switch (name) {
      case 'count':
        return String(ctx.count);
      case 'time':
        return String(Math.floor(ctx.nowMs / 1000));
      case 'time_ms':
        return String(Math.floor(ctx.nowMs));
      case 'iso':
        return new Date(ctx.nowMs).toISOString();
      case 'device':
        return ctx.device;
      case 'value':
        return wave(ctx.nowMs, ctx.phase).toFixed(2);
      case 'random':
        return ((ctx.random ?? Math.random)() * 100).toFixed(2);
      default:
        return whole;
    }
  });
}

/** Names a template uses that the simulator does not know (reported before starting). */
export function unknownNames(template: string): string[] {
  return [...template.matchAll(/\{\{\s*(\w+)\s*\}\}/g)].map((m) => m[1]).filter((n) => !NAMES.has(n));
}
