// `hookline simulate` options: parsed and checked in one place, every problem
// reported together (as the config does), before anything is sent.

import { parseArgs } from 'node:util';
import { parseDuration } from '../config/parse-values.ts';
import { DEFAULT_PARTICLE_PAYLOAD, DEFAULT_WEMOS_PAYLOAD, unknownNames } from './payload-template.ts';

export interface SimulateOptions {
  url: string;
  token: string;
  devices: number;
  deviceTokens: string[];
  periodMs: number;
  event: string;
  payload: string;
  wemos: number;
  wemosPayload: string;
  wemosPath: string;
  count?: number;
  namePrefix: string;
  quiet: boolean;
  /** A CA certificate (PEM file) to trust for an https:// URL (--ca). */
  ca?: string;
  /** The hub's data directory, whose self-signed certificate is trusted for an https:// URL (--data-dir, HOOKLINE_DATA_DIR, ./data). */
  dataDir: string;
}

export const SIMULATE_USAGE = `usage: hookline simulate [options]

Simulated devices publishing to a hookline (this one or any other) through its public API.

  --url URL               hookline to talk to (default http://127.0.0.1:8086, env HOOKLINE_URL)
  --token TOKEN           API token (env HOOKLINE_TOKEN): creates the Particle-style devices
                          (their own tokens then publish) and is the Wemos devices' write token
  --devices N             Particle-style devices publishing events (default 1)
  --device-token T        publish as this existing device instead (repeatable; no devices created)
  --period DURATION       time between two publishes of one device (default 5s)
  --event NAME            event name (default data)
  --payload TEMPLATE      event data (default '${DEFAULT_PARTICLE_PAYLOAD}')
  --wemos N               Wemos-style devices POSTing OpenTSDB JSON (default 0)
  --wemos-payload T       their body (default '${DEFAULT_WEMOS_PAYLOAD}')
  --wemos-path PATH       where they POST (default /api/put)
  --count N               publishes per device, then stop (default: until Ctrl+C)
  --name-prefix P         device names are P1, P2... (default sim-)
  --quiet                 no progress line
  --ca FILE               trust this CA certificate (PEM) for an https:// URL
  --data-dir DIR          for an https:// URL, trust DIR/tls/self-signed.crt, the certificate a hub
                          with HOOKLINE_TLS=self-signed serves (default ./data, env HOOKLINE_DATA_DIR)

Templates replace {{count}} {{time}} {{time_ms}} {{iso}} {{device}} {{value}} {{random}}.
`;

export function parseSimulateArgs(argv: string[], env: NodeJS.ProcessEnv): { options?: SimulateOptions; problems: string[]; help?: boolean } {
  let values: Record<string, string | boolean | string[] | undefined>;
  try {
    values = parseArgs({
      args: argv,
      options: {
        url: { type: 'string' },
        token: { type: 'string' },
        devices: { type: 'string' },
        'device-token': { type: 'string', multiple: true },
        period: { type: 'string' },
        event: { type: 'string' },
        payload: { type: 'string' },
        wemos: { type: 'string' },
        'wemos-payload': { type: 'string' },
        'wemos-path': { type: 'string' },
        count: { type: 'string' },
        'name-prefix': { type: 'string' },
        quiet: { type: 'boolean' },
        ca: { type: 'string' },
        'data-dir': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    }).values;
  } catch (e) {
    return { problems: [(e as Error).message] };
  }
  if (values.help) return { problems: [], help: true };
  const problems: string[] = [];
  const str = (k: string) => values[k] as string | undefined;
  const int = (k: string, def: number, min: number) => {
    const v = str(k);
    if (v === undefined) return def;
    if (!/^\d+$/.test(v) || Number(v) < min) {
      problems.push(`--${k}: expected an integer of at least ${min}, got "${v}"`);
      return def;
    }
    return Number(v);
  };
  let periodMs = 5000;
  if (str('period') !== undefined) {
    try {
      periodMs = parseDuration(str('period')!);
      if (periodMs < 10) problems.push('--period: at least 10ms');
    } catch (e) {
      problems.push(`--period: ${(e as Error).message}`);
    }
  }
  const url = (str('url') ?? env.HOOKLINE_URL ?? 'http://127.0.0.1:8086').replace(/\/+$/, '');
  if (!/^https?:\/\/[^/]/.test(url)) problems.push(`--url: expected http(s)://host[:port], got "${url}"`);
  const token = str('token') ?? env.HOOKLINE_TOKEN ?? '';
  const deviceTokens = (values['device-token'] as string[] | undefined) ?? [];
  const devices = deviceTokens.length > 0 ? deviceTokens.length : int('devices', 1, 0);
  const wemos = int('wemos', 0, 0);
  if (!token && (wemos > 0 || (devices > 0 && deviceTokens.length === 0))) problems.push('--token (or HOOKLINE_TOKEN) is required to create devices and for the Wemos devices');
  if (devices + wemos === 0) problems.push('nothing to simulate: --devices and --wemos are both 0');
  const payload = str('payload') ?? DEFAULT_PARTICLE_PAYLOAD;
  const wemosPayload = str('wemos-payload') ?? DEFAULT_WEMOS_PAYLOAD;
  for (const [flag, t] of [['--payload', payload], ['--wemos-payload', wemosPayload]] as const) {
    const unknown = unknownNames(t);
    if (unknown.length) problems.push(`${flag}: unknown {{${unknown.join('}}, {{')}}}`);
  }
  const count = str('count') === undefined ? undefined : int('count', 1, 1);
  const event = str('event') ?? 'data';
  if (!/^[A-Za-z0-9_\-/]{1,64}$/.test(event)) problems.push(`--event: 1-64 letters, digits, _ - / (Particle's event names), got "${event}"`);
  const wemosPath = str('wemos-path') ?? '/api/put';
  if (!wemosPath.startsWith('/')) problems.push('--wemos-path: must start with /');
  if (problems.length) return { problems };
  return {
    problems,
    options: {
      url,
      token,
      devices,
      deviceTokens,
      periodMs,
      event,
      payload,
      wemos,
      wemosPayload,
      wemosPath,
      count,
      namePrefix: str('name-prefix') ?? 'sim-',
      quiet: Boolean(values.quiet),
      ca: str('ca'),
      dataDir: str('data-dir') ?? env.HOOKLINE_DATA_DIR ?? './data',
    },
  };
}
