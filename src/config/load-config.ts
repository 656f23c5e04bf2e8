// Builds the configuration: defaults < environment < flags. Every invalid
// setting is collected and reported at once, then the result is frozen.

import { resolve } from 'node:path';
import { SETTINGS, type Config, type SettingSpec } from './schema.ts';
import { parseBool, parseBytes, parseDuration, parseIntStrict, parsePort } from './parse-values.ts';

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

function convert(spec: SettingSpec, raw: string): unknown {
  switch (spec.type) {
    case 'port':
      return parsePort(raw);
    case 'bytes':
      return parseBytes(raw);
    case 'duration':
      return parseDuration(raw);
    case 'int':
      if (raw === 'auto' && spec.default === 'auto') return -1;
      return parseIntStrict(raw, spec.min);
    case 'bool':
      return parseBool(raw);
    case 'path':
      return resolve(raw);
    case 'list':
      return raw.split(',').map((x) => x.trim()).filter(Boolean);
    case 'enum':
      if (!spec.values!.includes(raw)) throw new Error(`expected one of ${spec.values!.join(', ')}, got "${raw}"`);
      return raw;
    default:
      return raw;
  }
}

/** Parses `--name value` and `--name=value` flags; returns the flags and the other arguments. */
export function splitFlags(argv: readonly string[]): { flags: Map<string, string>; rest: string[]; unknown: string[] } {
  const known = new Set<string>(SETTINGS.map((s) => s.flag));
  const flags = new Map<string, string>();
  const rest: string[] = [];
  const unknown: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (!a.startsWith('--')) {
      rest.push(a);
      continue;
    }
    const eq = a.indexOf('=');
    const name = eq > 0 ? a.slice(0, eq) : a;
    if (!known.has(name)) {
      unknown.push(a);
      continue;
    }
    const spec = SETTINGS.find((x) => x.flag === name);
    // A boolean flag may stand alone (--demo); others take the next argument.
    const standalone = spec?.type === 'bool' && eq < 0 && (argv[i + 1] === undefined || argv[i + 1].startsWith('--'));
    const value = eq > 0 ? a.slice(eq + 1) : standalone ? 'true' : argv[i + 1];
    if (eq < 0 && !standalone) i++;
    flags.set(name, value ?? '');
  }
  return { flags, rest, unknown };
}

/** Per loaded config, the settings left at their defaults. */
const defaulted = new WeakMap<object, ReadonlySet<string>>();

/**
 * True when a setting was not given (no flag, no environment variable). Side
 * listeners use it: a default port that is taken turns that listener off with
 * a warning, so `npm start` works next to e.g. a Mosquitto on 1883, while a
 * port the operator chose must be available.
 */
export function isDefaultSetting(config: Config, key: keyof Config): boolean {
  return defaulted.get(config)?.has(key) ?? false;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env, flags: Map<string, string> = new Map()): Config {
  const problems: string[] = [];
  const out: Record<string, unknown> = {};
  const fromDefault = new Set<string>();
  for (const spec of SETTINGS as readonly SettingSpec[]) {
    const fromFlag = flags.get(spec.flag);
    const fromEnv = env[spec.env];
    const raw = fromFlag ?? (fromEnv !== undefined && fromEnv !== '' ? fromEnv : spec.default);
    const source = fromFlag !== undefined ? spec.flag : fromEnv !== undefined && fromEnv !== '' ? spec.env : 'default';
    if (source === 'default') fromDefault.add(spec.key);
    if (raw === '' && spec.optional) {
      out[spec.key] = '';
      continue;
    }
    try {
      out[spec.key] = convert(spec, raw);
    } catch (e) {
      problems.push(`${spec.env} (${source}): ${(e as Error).message}`);
    }
  }
  for (const name of Object.keys(env)) {
    if (name.startsWith('HOOKLINE_') && !SETTINGS.some((s) => s.env === name) && !EXTRA_ENV.has(name)) {
      problems.push(`${name}: unknown setting (see docs/config.md)`);
    }
  }
  if (problems.length > 0) throw new ConfigError(problems);
  const config = Object.freeze(out) as Config;
  defaulted.set(config, fromDefault);
  return config;
}

/** HOOKLINE_* variables read by tools rather than the server (tests, benchmarks). */
const EXTRA_ENV = new Set(['HOOKLINE_TEST_KEEP_DATA']);
