// Side listeners (MQTT 1883, OpenTSDB 4242) and port conflicts: a default port
// another program holds (Mosquitto on 1883 is common) turns that listener off
// with a warning so `npm start` still works; a port the operator chose must be
// free, and a failed start releases everything it had opened.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:net';
import { rm } from 'node:fs/promises';
import { startTestServer, tempDir, freePort, api } from './helpers/server.ts';

/** Holds `port` on 127.0.0.1 unless something already does; either way it is taken afterwards. */
async function occupy(port: number): Promise<Server | undefined> {
  const server = createServer();
  return new Promise((resolve) => {
    server.once('error', () => resolve(undefined));
    server.listen(port, '127.0.0.1', () => resolve(server));
  });
}

test('default MQTT and OpenTSDB ports already taken: the server starts without them', async () => {
  const held = [await occupy(1883), await occupy(4242)];
  try {
    // '' = not set: the defaults (1883, 4242) apply
    const s = await startTestServer({ HOOKLINE_MQTT_PORT: '', HOOKLINE_OPENTSDB_PORT: '' });
    try {
      assert.equal((await api(s, '/api/v2/buckets')).status, 200);
      const put = await api(s, '/api/put', { method: 'POST', body: JSON.stringify({ metric: 'm', value: 1, tags: {} }) });
      assert.equal(put.status, 204, '/api/put still works on the main port');
    } finally {
      await s.stop();
    }
  } finally {
    for (const h of held) h?.close();
  }
});

test('an explicitly chosen port that is taken fails the start and releases the data directory', async () => {
  const port = await freePort();
  const held = await occupy(port);
  const dir = await tempDir();
  try {
    await assert.rejects(startTestServer({ HOOKLINE_OPENTSDB_PORT: String(port) }, dir), /OpenTSDB port .* in use|EADDRINUSE/);
    await assert.rejects(startTestServer({ HOOKLINE_MQTT_PORT: String(port) }, dir), /MQTT port .* already in use/);
    // Everything the failed starts opened was closed: the same data directory opens again.
    const s = await startTestServer({}, dir);
    await s.stop();
  } finally {
    held?.close();
    await rm(dir, { recursive: true, force: true });
  }
});
