// Renders docs/config.md from the settings table.

import { SETTINGS } from './schema.ts';

export function renderConfigDoc(): string {
  const lines = [
    '# Configuration',
    '',
    'Every setting has a default, an environment variable and a flag. Flags win over the',
    'environment, the environment over defaults. All settings are checked at start-up and every',
    'invalid one is listed before hookline exits; an unknown `HOOKLINE_*` variable is an error too',
    '(a typo should not silently leave a default in place).',
    '',
    'Sizes take `B`, `KB`/`MB`/`GB` (powers of 1000) or `KiB`/`MiB`/`GiB` (powers of 1024).',
    'Durations are written like InfluxDB\'s: `10s`, `5m`, `1h30m`, `7d`.',
    '',
    '_This file is generated from `src/config/schema.ts` by `npm run docs:config`; a test keeps them in step._',
    '',
    '| environment | flag | default | meaning |',
    '|---|---|---|---|',
  ];
  for (const s of SETTINGS) {
    const def = s.default === '' ? '(empty)' : `\`${s.default}\``;
    lines.push(`| \`${s.env}\` | \`${s.flag}\` | ${def} | ${s.doc.replace(/\|/g, '\\|')} |`);
  }
  lines.push('');
  return lines.join('\n');
}
