import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { ConfigError, loadConfig, splitFlags } from './load-config.ts';
import { renderConfigDoc } from './render-config-doc.ts';
import { renderErrorsDoc } from '../core/render-errors-doc.ts';

test('defaults: port 8086 on 127.0.0.1, ./data, sizes in bytes and durations in ms', () => {
  const c = loadConfig({});
  assert.equal(c.httpPort, 8086);
  assert.equal(c.host, '127.0.0.1');
  assert.ok(c.dataDir.endsWith('/data'));
  assert.equal(c.maxBodyBytes, 25 * 1024 * 1024);
  assert.equal(c.flushInterval, 600_000);
  assert.ok(Object.isFrozen(c));
});

test('environment overrides defaults and flags override the environment', () => {
  const { flags } = splitFlags(['--http-port', '9999', '--max-body-bytes=1MB']);
  const c = loadConfig({ HOOKLINE_HTTP_PORT: '7777', HOOKLINE_HOST: '0.0.0.0' }, flags);
  assert.equal(c.httpPort, 9999);
  assert.equal(c.host, '0.0.0.0');
  assert.equal(c.maxBodyBytes, 1_000_000);
});

test('every invalid setting is reported at once, unknown HOOKLINE_ variables too', () => {
  assert.throws(
    () => loadConfig({ HOOKLINE_HTTP_PORT: '99999', HOOKLINE_MAX_BODY_BYTES: 'lots', HOOKLINE_FLUSH_INTERVAL: '5 minutes', HOOKLINE_LOG_LEVEL: 'loud', HOOKLINE_HTTP_PROT: '1' }),
    (e: unknown) => {
      assert.ok(e instanceof ConfigError);
      assert.equal(e.problems.length, 5);
      assert.match(e.message, /HOOKLINE_HTTP_PORT \(HOOKLINE_HTTP_PORT\): expected a port between 0 and 65535, got 99999/);
      assert.match(e.message, /HOOKLINE_MAX_BODY_BYTES.*expected a size/);
      assert.match(e.message, /HOOKLINE_FLUSH_INTERVAL.*expected a duration/);
      assert.match(e.message, /HOOKLINE_LOG_LEVEL.*expected one of/);
      assert.match(e.message, /HOOKLINE_HTTP_PROT: unknown setting/);
      return true;
    },
  );
});

test('docs/config.md is generated from the schema (npm run docs)', () => {
  assert.equal(readFileSync(new URL('../../docs/config.md', import.meta.url), 'utf8'), renderConfigDoc());
});

test('docs/errors.md is generated from the error catalogue (npm run docs)', () => {
  assert.equal(readFileSync(new URL('../../docs/errors.md', import.meta.url), 'utf8'), renderErrorsDoc());
});
