// Renders docs/errors.md from the error catalogue.

import { ERRORS } from './errors.ts';

export function renderErrorsDoc(): string {
  const lines = [
    '# Errors',
    '',
    'Every error hookline sends has a code below. The body is written in the dialect of the API that was',
    'called, so each client reads it the way it reads its own server\'s:',
    '',
    '| API | body |',
    '|---|---|',
    '| InfluxDB 2 (`/api/v2/*`) | `{"code": "<InfluxDB code>", "message": "...", "line": <first bad line, when there is one>}` and header `X-Platform-Error-Code` |',
    '| InfluxDB 1.x (`/write`, `/query`) | `{"error": "..."}` and header `X-InfluxDB-Error` |',
    '| InfluxDB 3 (`/api/v3/*`) | `{"error": "...", "data": ...}` (per-line errors for writes) |',
    '| Particle (`/v1/*`) | `{"ok": false, "error": "..."}` |',
    '| OpenTSDB (`/api/put`, `/api/query`...) | `{"error": {"code": <status>, "message": "..."}}` |',
    '',
    'Messages quote InfluxDB\'s own wording wherever a client or a user may match on it (for example',
    '`unable to parse \'<line>\': missing fields`, `partial write: field type conflict: ...`).',
    '',
    '_Generated from `src/core/errors.ts` by `npm run docs`; a test keeps them in step._',
    '',
    '| code | HTTP | InfluxDB 2 code | default message | what to do |',
    '|---|---|---|---|---|',
  ];
  for (const e of Object.values(ERRORS)) {
    lines.push(`| \`${e.code}\` | ${e.status} | \`${e.v2}\` | ${e.message.replace(/\|/g, '\\|')} | ${e.hint.replace(/\|/g, '\\|')} |`);
  }
  lines.push('');
  return lines.join('\n');
}
