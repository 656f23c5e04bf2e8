import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ownTargetWarnings, servedEndpoints } from './own-target-warnings.ts';

const hook = (url: string) => ({ id: 'i1', name: 'InfluxDB', url });

test('TLS with plain HTTP: both schemes of the port are fine; another port or a plain-HTTP-less hub warns', () => {
  const both = servedEndpoints({ host: '127.0.0.1', ports: [8086, 4242], tls: true, plainHttp: true });
  assert.deepEqual(ownTargetWarnings([hook('http://localhost:8086/api/v2/write'), hook('https://127.0.0.1:8086/x'), hook('http://[::1]:4242/api/put')], both), []);
  assert.deepEqual(ownTargetWarnings([hook('http://localhost:8087/api/v2/write')], both), [
    'integration "InfluxDB" (i1) points at this hub as http://localhost:8087, which is not served (served: https://:8086, http://:8086, https://:4242, http://:4242); its deliveries will fail',
  ]);
  const httpsOnly = servedEndpoints({ host: '127.0.0.1', ports: [8086], tls: true, plainHttp: false });
  assert.equal(ownTargetWarnings([hook('http://localhost:8086/api/v2/write')], httpsOnly).length, 1);
  const plainOnly = servedEndpoints({ host: '127.0.0.1', ports: [8086], tls: false, plainHttp: true });
  assert.equal(ownTargetWarnings([hook('https://localhost:8086/api/v2/write')], plainOnly).length, 1);
});

test('other hosts and templated URLs are not judged; the public URL counts as served', () => {
  const served = servedEndpoints({ host: '127.0.0.1', ports: [8086], tls: false, plainHttp: true, publicUrl: 'https://hub.example.com' });
  assert.deepEqual(ownTargetWarnings([hook('https://example.org:9999/'), hook('http://{{HOST}}:1/'), hook('https://hub.example.com/api/v2/write')], served), []);
  assert.equal(ownTargetWarnings([hook('http://hub.example.com/api/v2/write')], served).length, 1);
});
