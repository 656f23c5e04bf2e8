// `hookline simulate` and the simulators (src/simulate): payload templates,
// options, the scheduler, and real runs against a real server, where the
// devices' events and the Wemos' points must arrive.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { renderPayload, unknownNames, wave, DEFAULT_PARTICLE_PAYLOAD, DEFAULT_WEMOS_PAYLOAD } from '../src/simulate/payload-template.ts';
import { parseSimulateArgs } from '../src/simulate/options.ts';
import { wemosAuthorization, type Publisher } from '../src/simulate/publishers.ts';
import { progressLine, Simulation } from '../src/simulate/simulation.ts';
import { deviceIdFor } from '../src/simulate/devices.ts';
import { startSimulation } from '../src/simulate/start-simulation.ts';
import { api, sql, startTestServer, type TestServer } from './helpers/server.ts';

describe('payload templates', () => {
  test('the seeds’ payloads', () => {
    const now = Date.UTC(2025, 11, 2, 1, 2, 3, 456);
    assert.equal(renderPayload(DEFAULT_PARTICLE_PAYLOAD, { count: 7, nowMs: now, device: 'd' }), '{"count":7,"time":1764637323}');
    assert.equal(renderPayload(DEFAULT_WEMOS_PAYLOAD, { count: 1, nowMs: 0, device: 'w' }), '[{"metric":"universe","value":42.00,"tags":{}}]');
    assert.equal(
      renderPayload('{{time_ms}} {{iso}} {{device}} {{random}} {{ count }} {{other}}', { count: 3, nowMs: now, device: 'd', random: () => 0.5 }),
      '1764637323456 2025-12-02T01:02:03.456Z d 50.00 3 {{other}}',
    );
    assert.deepEqual(unknownNames('{{count}} {{nope}} {{time}} {{x}}'), ['nope', 'x']);
    assert.ok(Math.abs(wave(75_000) - 50) < 1e-9, 'a quarter period: the top of the wave');
  });

  test('the Wemos’ Authorization header, exactly as metrics.cpp builds it', () => {
    // base64("DESC:TOKEN") with the lower-case scheme (reference: the seed's request).
    assert.equal(wemosAuthorization('TOKEN'), 'basic REVTQzpUT0tFTg==');
  });
});

describe('options', () => {
  test('defaults', () => {
    const { options, problems } = parseSimulateArgs(['--token', 't'], {});
    assert.deepEqual(problems, []);
    assert.deepEqual(options, {
      url: 'http://127.0.0.1:8086',
      token: 't',
      devices: 1,
      deviceTokens: [],
      periodMs: 5000,
      event: 'data',
      payload: DEFAULT_PARTICLE_PAYLOAD,
      wemos: 0,
      wemosPayload: DEFAULT_WEMOS_PAYLOAD,
      wemosPath: '/api/put',
      count: undefined,
      namePrefix: 'sim-',
      quiet: false,
      ca: undefined,
      dataDir: './data',
    });
  });

  test('environment, device tokens, and every problem at once', () => {
    const env = { HOOKLINE_URL: 'http://h:1/', HOOKLINE_TOKEN: 'e' };
    assert.equal(parseSimulateArgs([], env).options?.url, 'http://h:1');
    const byTokens = parseSimulateArgs(['--device-token', 'a', '--device-token', 'b', '--period', '250ms', '--count', '3'], {});
    assert.deepEqual(byTokens.problems, [], 'device tokens need no API token');
    assert.equal(byTokens.options?.devices, 2);
    assert.equal(byTokens.options?.periodMs, 250);
    const bad = parseSimulateArgs(['--devices', 'x', '--period', 'soon', '--url', 'ftp://h', '--payload', '{{oops}}', '--event', 'bad name', '--count', '0'], {});
    assert.equal(bad.options, undefined);
    assert.equal(bad.problems.length, 7, bad.problems.join('\n'));
    assert.match(parseSimulateArgs(['--bogus'], {}).problems[0], /Unknown option '--bogus'/);
    assert.equal(parseSimulateArgs(['--help'], {}).help, true);
    assert.match(parseSimulateArgs(['--devices', '0'], { HOOKLINE_TOKEN: 't' }).problems[0], /nothing to simulate/);
  });

  test('device IDs are stable per name and look like Particle’s', () => {
    assert.match(deviceIdFor('sim-1'), /^[0-9a-f]{24}$/);
    assert.equal(deviceIdFor('sim-1'), deviceIdFor('sim-1'));
    assert.notEqual(deviceIdFor('sim-1'), deviceIdFor('sim-2'));
  });
});

describe('scheduler', () => {
  const fake = (name: string, log: string[], fail = false): Publisher => ({
    name,
    kind: 'particle',
    async publish(count) {
      log.push(`${name}#${count}`);
      return fail ? { ok: false, status: 503, error: 'busy' } : { ok: true, status: 200 };
    },
  });

  test('each device publishes `count` times, then it is finished', async () => {
    const log: string[] = [];
    const sim = new Simulation([fake('a', log), fake('b', log, true)], { periodMs: 5, count: 3 });
    sim.start();
    await sim.finished;
    assert.deepEqual(log.filter((x) => x.startsWith('a')), ['a#1', 'a#2', 'a#3']);
    assert.equal(sim.stats.sent, 6);
    assert.equal(sim.stats.ok, 3);
    assert.equal(sim.stats.failed, 3);
    assert.equal(sim.stats.lastError, 'b: HTTP 503 busy');
    assert.match(progressLine(sim.stats, 1000), /^sent 6 \(6\.0\/s\) · ok 3 · failed 3 · particle 3\/6 · last error: b: HTTP 503 busy$/);
  });

  test('stop() ends a running simulation, and one never started', async () => {
    const log: string[] = [];
    const sim = new Simulation([fake('a', log), fake('b', log)], { periodMs: 60_000 });
    sim.start();
    await sim.stop();
    assert.ok(log.length <= 1, 'the second device waits half a period and never runs');
    await new Simulation([fake('c', log)], { periodMs: 10 }).stop();
  });
});

describe('against a real server', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer();
  });
  after(() => server?.stop());

  test('Particle-style devices publish through /v1/devices/events; the Wemos posts to /api/put', async () => {
    const parsed = parseSimulateArgs(['--url', server.url, '--token', server.token, '--devices', '2', '--wemos', '1', '--period', '20ms', '--count', '3', '--name-prefix', 'lab-'], {});
    assert.deepEqual(parsed.problems, []);
    const sim = await startSimulation(parsed.options!);
    await sim.finished;
    assert.equal(sim.stats.failed, 0, sim.stats.lastError);
    assert.equal(sim.stats.sent, 9);
    const devices = (await (await api(server, '/v1/devices')).json()) as Array<{ id: string; name: string }>;
    assert.deepEqual(devices.map((d) => d.name).sort(), ['lab-1', 'lab-2']);
    assert.ok(devices.every((d) => d.id === deviceIdFor(d.name)));
    const events = (await (await api(server, '/api/hookline/events?limit=100')).json()).events as Array<{ name: string; data: string; coreid: string }>;
    assert.equal(events.filter((e) => e.name === 'data').length, 6);
    assert.deepEqual(Object.keys(JSON.parse(events[0].data)), ['count', 'time']);
    const points = await sql<{ n: number }>(server, 'SELECT count(*)::INTEGER AS n FROM universe');
    assert.ok(points[0].n >= 1, 'Wemos points are stored (same-second points merge)');

    // A second run reuses the same device IDs (new tokens; the old ones are gone).
    const again = await startSimulation({ ...parsed.options!, count: 1, wemos: 0 });
    await again.finished;
    assert.equal(again.stats.failed, 0);
    assert.equal(((await (await api(server, '/v1/devices')).json()) as unknown[]).length, 2);
  });

  test('`hookline simulate` prints a progress line and exits 0', async () => {
    const child = spawn(process.execPath, ['bin/hookline.js', 'simulate', '--url', server.url, '--token', server.token, '--period', '10ms', '--count', '2'], {
      cwd: new URL('..', import.meta.url).pathname,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    assert.equal(code, 0, out);
    assert.match(out, /simulating 1 Particle-style device \(event data\) against http:\/\/127\.0\.0\.1:\d+/);
    assert.match(out, /sent 2 \([\d.]+\/s\) · ok 2 · failed 0 · particle 2\/2\n$/);
  });

  test('`hookline simulate` refuses bad options with all problems and the usage', async () => {
    const child = spawn(process.execPath, ['bin/hookline.js', 'simulate', '--devices', 'many'], { cwd: new URL('..', import.meta.url).pathname, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, HOOKLINE_TOKEN: '' } });
    let err = '';
    child.stderr.on('data', (d) => (err += d));
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    assert.equal(code, 2);
    assert.match(err, /--devices: expected an integer/);
    assert.match(err, /usage: hookline simulate/);
  });
});
