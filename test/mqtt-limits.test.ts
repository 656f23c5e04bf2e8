// MQTT before CONNECT costs nothing (issue 10, finding 6): a client announcing
// a 256 MB packet is cut off at its fixed header, a connection that never
// sends CONNECT is closed after HOOKLINE_MQTT_CONNECT_TIMEOUT, and after
// CONNECT packets are bounded by HOOKLINE_MQTT_MAX_PACKET_BYTES.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { readFile, rm } from 'node:fs/promises';
import mqtt from 'mqtt';
import { freePort, spawnServer, tempDir, TOKEN, type ChildServer } from './helpers/server.ts';

const MiB = 1024 * 1024;
let srv: ChildServer;
let dir: string;
let port: number;

before(async () => {
  dir = await tempDir('hookline-mqtt-limits-');
  port = await freePort();
  srv = await spawnServer(dir, { HOOKLINE_MQTT_PORT: String(port), HOOKLINE_MQTT_CONNECT_TIMEOUT: '1s', HOOKLINE_MQTT_MAX_PACKET_BYTES: '32KiB' });
});
after(async () => {
  await srv.kill();
  await rm(dir, { recursive: true, force: true });
});

async function rss(): Promise<number> {
  const status = await readFile(`/proc/${srv.child.pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)![1]) * 1024;
}

/** Sends `head`, then zeros until the server closes the connection (or `maxBytes`); answers the bytes sent and whether it was closed. */
function stream(head: Buffer, maxBytes: number): Promise<{ sent: number; closed: boolean }> {
  return new Promise((resolve) => {
    const sock = net.connect(port, '127.0.0.1');
    const zeros = Buffer.alloc(64 * 1024);
    let sent = 0;
    let done = false;
    const finish = (closed: boolean) => {
      if (done) return;
      done = true;
      sock.destroy();
      resolve({ sent, closed });
    };
    sock.on('error', () => finish(true));
    sock.on('close', () => finish(true));
    sock.on('connect', () => {
      sock.write(head);
      const pump = () => {
        while (!done && sent < maxBytes) {
          sent += zeros.length;
          if (!sock.write(zeros)) return void sock.once('drain', pump);
        }
        if (!done) setTimeout(() => finish(false), 3000);
      };
      pump();
    });
  });
}

test('three strangers announcing 256 MB packets are cut off at the header; RSS does not grow', async () => {
  const before = await rss();
  // A CONNECT announcing 268,435,455 bytes (the varint maximum), and a PUBLISH before any CONNECT.
  const heads = [Buffer.from([0x10, 0xff, 0xff, 0xff, 0x7f]), Buffer.from([0x30, 0xff, 0xff, 0xff, 0x7f]), Buffer.from([0x10, 0x80, 0x80, 0x80, 0x01])];
  const results = await Promise.all(heads.map((h) => stream(h, 256 * MiB)));
  const after = await rss();
  console.log(`# RSS before ${(before / MiB).toFixed(0)} MiB, after ${(after / MiB).toFixed(0)} MiB; bytes the strangers got to send: ${results.map((r) => r.sent).join(', ')}`);
  for (const r of results) {
    assert.ok(r.closed, 'the server closed the connection');
    assert.ok(r.sent < 64 * MiB, `closed only after ${r.sent} bytes`);
  }
  assert.ok(after - before < 100 * MiB, `RSS grew by ${((after - before) / MiB).toFixed(1)} MiB`);
});

test('a connection that never sends CONNECT is closed after the connect timeout', async () => {
  const closed = await new Promise<boolean>((resolve) => {
    const sock = net.connect(port, '127.0.0.1');
    const deadline = setTimeout(() => resolve(false), 20_000);
    sock.on('error', () => undefined);
    sock.on('close', () => {
      clearTimeout(deadline);
      resolve(true);
    });
  });
  assert.ok(closed, 'still open after 20 s with HOOKLINE_MQTT_CONNECT_TIMEOUT=1s');
});

test('an authenticated client publishes; a packet over HOOKLINE_MQTT_MAX_PACKET_BYTES closes its connection', async () => {
  const client = await mqtt.connectAsync(`mqtt://127.0.0.1:${port}`, { username: 'api', password: TOKEN, reconnectPeriod: 0, connectTimeout: 5000 });
  try {
    // 16 KiB is over the 8 KiB allowed before CONNECT but within the 32 KiB after it.
    await client.publishAsync('events/limits', Buffer.alloc(16 * 1024, 0x61), { qos: 1 });
    const closed = new Promise<void>((resolve) => client.once('close', () => resolve()));
    client.publish('events/limits', Buffer.alloc(40 * 1024, 0x61), { qos: 1 }, () => undefined);
    await closed;
  } finally {
    client.end(true);
  }
});
