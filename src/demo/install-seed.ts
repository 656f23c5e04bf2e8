// The seed's cloud set-up, done the way its tutorial does it by hand, over
// hookline's public API: a write token for the bucket (step 2), the three
// Cloud Secrets INFLUX_API_KEY / INFLUX_ORG / INFLUX_BUCKET (step 3), and the
// Custom Template pasted as is, with only its url pointing here (step 4).
// Running it again replaces the token and updates the same integration.

import type { Client } from '../simulate/http-client.ts';
import { seedTemplateFor } from './seed-template.ts';

export const WEBHOOK_TOKEN_DESCRIPTION = 'hookline demo: INFLUX_API_KEY of the seed webhook';

interface Authorization {
  id: string;
  description?: string;
  token?: string;
}

interface Integration {
  id: string;
  name?: string;
  event?: string;
  url?: string;
}

/**
 * The integration an earlier demo run installed: the seed's name and event,
 * writing to /api/v2/write on this host (the port may have changed since).
 */
export function isDemoIntegration(i: Integration, hooklineUrl: string): boolean {
  if (i.name !== 'InfluxDB' || i.event !== 'data' || !i.url) return false;
  try {
    const a = new URL(i.url);
    const b = new URL(hooklineUrl);
    return a.pathname === '/api/v2/write' && a.hostname === b.hostname && a.protocol === b.protocol;
  } catch {
    return false;
  }
}

export async function installSeedIntegration(client: Client, t: { orgID: string; bucketID: string; bucketName: string; hooklineUrl: string }): Promise<{ integrationId: string }> {
  const auths = await client.call<{ authorizations: Authorization[] }>(`/api/v2/authorizations?orgID=${encodeURIComponent(t.orgID)}`);
  for (const a of auths.authorizations) {
    if (a.description === WEBHOOK_TOKEN_DESCRIPTION) await client.call(`/api/v2/authorizations/${a.id}`, { method: 'DELETE' });
  }
  const writeToken = await client.call<Authorization>('/api/v2/authorizations', {
    json: {
      orgID: t.orgID,
      description: WEBHOOK_TOKEN_DESCRIPTION,
      permissions: [{ action: 'write', resource: { type: 'buckets', orgID: t.orgID, id: t.bucketID } }],
    },
  });
  const secrets: Record<string, string> = { INFLUX_API_KEY: writeToken.token!, INFLUX_ORG: t.orgID, INFLUX_BUCKET: t.bucketName };
  for (const [name, value] of Object.entries(secrets)) await client.call(`/v1/secrets/${name}`, { method: 'PUT', json: { secret: { value } } });

  const template = seedTemplateFor(t.hooklineUrl);
  const listed = await client.call<Integration[] | { integrations?: Integration[] }>('/v1/integrations');
  const existing = (Array.isArray(listed) ? listed : (listed.integrations ?? [])).find((i) => isDemoIntegration(i, t.hooklineUrl));
  if (existing) {
    await client.call(`/v1/integrations/${existing.id}`, { method: 'PUT', json: { integration_type: 'Webhook', ...template } });
    return { integrationId: existing.id };
  }
  const created = await client.call<Integration>('/v1/integrations', { json: { integration_type: 'Webhook', ...template } });
  return { integrationId: created.id };
}
