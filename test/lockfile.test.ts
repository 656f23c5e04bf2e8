// `npm ci` (what CI runs) refuses a lock file without DuckDB's optional
// platform packages; this workplace's mirror makes `npm install` drop them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';

test('package-lock.json names every platform build of the DuckDB bindings (run scripts/complete-lock.mjs if not)', () => {
  const lock = JSON.parse(readFileSync(new URL('../package-lock.json', import.meta.url), 'utf8'));
  const bindings = lock.packages['node_modules/@duckdb/node-bindings'];
  for (const dep of Object.keys(bindings.optionalDependencies)) {
    assert.ok(lock.packages[`node_modules/${dep}`], `${dep} missing: run node scripts/complete-lock.mjs`);
  }
});
