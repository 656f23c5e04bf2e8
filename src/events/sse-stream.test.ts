import { test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { LocalEventBus } from './event-bus.ts';
import { KEEP_ALIVE_MS, streamEvents } from './sse-stream.ts';

test('keep-alives come at least every keep-alive period, under particle-api-js\'s 15 s idle timeout', async () => {
  assert.ok(KEEP_ALIVE_MS <= 9000);
  const bus = new LocalEventBus();
  const server = http.createServer((_req, res) => streamEvents(res, bus, { canRead: () => true }, 200));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  const times: number[] = [];
  const res = await new Promise<http.IncomingMessage>((r) => http.get(`http://127.0.0.1:${port}/`, r));
  const start = Date.now();
  res.on('data', () => times.push(Date.now() - start));
  await new Promise((r) => setTimeout(r, 1100));
  res.destroy();
  server.close();
  assert.ok(times.length >= 5, `only ${times.length} writes`);
  for (let i = 1; i < times.length; i++) assert.ok(times[i] - times[i - 1] <= 260, `gap ${times[i] - times[i - 1]} ms`);
});
