// Demo mode (`hookline demo`, `npm start -- --demo`): the two seeds running
// against this server, as real clients of its public API.
//  - Particle side: two devices publish {"count":N,"time":T} as event `data`
//    every HOOKLINE_DEMO_PERIOD; the seed's webhook template turns each event
//    into a line-protocol write to hookline's own /api/v2/write.
//  - Wemos side: one device POSTs the seed's OpenTSDB JSON to /api/put.
// Within a minute the explorer charts `data` (count per device) and `universe`.
// All of it in the org `hookline-demo` (bucket `demo`), never in the user's orgs.
// Nothing here may stop the server: a failed step is logged and skipped.

import type { ConcernDeps } from '../concern-deps.ts';
import { provisionDevices } from '../simulate/devices.ts';
import { createClient, type Client } from '../simulate/http-client.ts';
import { DEFAULT_PARTICLE_PAYLOAD, DEFAULT_WEMOS_PAYLOAD } from '../simulate/payload-template.ts';
import { particlePublisher, wemosPublisher, type Publisher } from '../simulate/publishers.ts';
import { Simulation } from '../simulate/simulation.ts';
import { demoToken, wemosToken } from './bootstrap-token.ts';
import { installSeedIntegration } from './install-seed.ts';
import { installDemoDashboards } from './demo-dashboards.ts';

export const DEMO_DEVICES = ['demo-photon-1', 'demo-photon-2'];
export const DEMO_ORG = 'hookline-demo';
export const DEMO_BUCKET = 'demo';

export interface Demo {
  stop(): Promise<void>;
}

async function demoBucket(client: Client, orgID: string, name: string): Promise<{ id: string; name: string }> {
  const found = await client.call<{ buckets: Array<{ id: string; name: string }> }>(`/api/v2/buckets?orgID=${encodeURIComponent(orgID)}&name=${encodeURIComponent(name)}`);
  if (found.buckets[0]) return found.buckets[0];
  return client.call('/api/v2/buckets', { json: { orgID, name, retentionRules: [{ type: 'expire', everySeconds: 0 }] } });
}

export async function startDemo(deps: ConcernDeps, url: string): Promise<Demo> {
  const { tenancy, config, logger } = deps;
  // The demo never touches the user's orgs: its secrets (INFLUX_API_KEY...),
  // integration, devices, bucket and tokens live in an org of its own, made
  // once and reused by every later demo start.
  const org = tenancy.orgByName(DEMO_ORG) ?? (await tenancy.createOrg(DEMO_ORG, 'demo mode (npm start -- --demo): the seeds\' simulated devices; safe to delete'));
  const token = await demoToken(tenancy, org.id, tenancy.bucketByName(org.id, DEMO_BUCKET)?.id ?? '');
  const client = createClient(url, token);
  const bucket = await demoBucket(client, org.id, DEMO_BUCKET);
  const publishers: Publisher[] = [];

  try {
    const { integrationId } = await installSeedIntegration(client, { orgID: org.id, bucketID: bucket.id, bucketName: bucket.name, hooklineUrl: url });
    logger.info('demo: seed webhook installed', { integration: integrationId, url: `${url}/api/v2/write` });
  } catch (e) {
    logger.warn('demo: could not install the seed webhook (are /v1/secrets and /v1/integrations available?)', { error: (e as Error).message });
  }
  try {
    const devices = await provisionDevices(client, DEMO_DEVICES);
    devices.forEach((d, i) =>
      // Devices booted at different times have counted differently: two lines, not one.
      publishers.push(particlePublisher({ base: url, name: d.name, token: d.token, event: 'data', payload: DEFAULT_PARTICLE_PAYLOAD, countFrom: 1 + i * 50 })),
    );
  } catch (e) {
    logger.warn('demo: could not create the Particle-style devices (is /v1/devices available?)', { error: (e as Error).message });
  }
  let dashboards: string[] = [];
  try {
    dashboards = await installDemoDashboards(client, bucket.name);
  } catch (e) {
    logger.warn('demo: could not create the dashboards (is /api/hookline/dashboards available?)', { error: (e as Error).message });
  }
  const wemos = await wemosToken(tenancy, org.id, bucket.id);
  publishers.push(wemosPublisher({ base: url, name: 'demo-wemos', token: wemos, path: '/api/put', payload: DEFAULT_WEMOS_PAYLOAD }));

  // Log changes of state per device (working -> failing -> working), not every request.
  const failing = new Map<string, boolean>();
  const sim = new Simulation(publishers, {
    periodMs: config.demoPeriod,
    onResult(p, o) {
      const was = failing.get(p.name) ?? false;
      if (!o.ok && !was) logger.warn('demo: a simulated device is failing', { device: p.name, status: o.status, error: o.error });
      if (o.ok && was) logger.info('demo: a simulated device works again', { device: p.name });
      failing.set(p.name, !o.ok);
    },
  });
  sim.start();
  // The demo's data is in its own org: its token (replaced at each demo start) is what shows it in the explorer.
  logger.info('demo running: open the explorer and sign in with the demo org\'s token', {
    url: `${url}/explore`,
    dashboards: dashboards.map((id) => `${url}/dashboards/${id}`),
    org: DEMO_ORG,
    bucket: DEMO_BUCKET,
    token,
    devices: publishers.map((p) => p.name),
    periodMs: config.demoPeriod,
  });
  return { stop: () => sim.stop() };
}
