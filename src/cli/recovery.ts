// `hookline recovery create-token`: a new all-access token for whoever can
// read the data directory, when the one printed at the first start is lost.
// InfluxDB 2 answers the same problem with `influxd recovery auth
// create-operator --org <org> --username <user>`, which also works on the
// stopped server's files (influxdb cmd/influxd/recovery/auth/auth.go).
// The hub must be stopped: DuckDB holds the catalog locked while it runs.

import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { parseCommand } from './parse-command.ts';
import type { Tenancy } from '../tenancy/tenancy.ts';

const USAGE = `usage: hookline recovery create-token [--org NAME] [--data-dir DIR] [--description TEXT]

Creates a new all-access (operator) token in a stopped hub's data directory and
prints it once; it is stored hashed, so keep it. Use it when the token printed
at the first start is lost (as influxd recovery auth create-operator).

  --org NAME          org the token belongs to (default: the first org, the one made at first start)
  --data-dir DIR      the hub's data directory (default ./data, env HOOKLINE_DATA_DIR)
  --description TEXT  shown in the token list (default "recovery token <date>")

With HOOKLINE_NATS_URL set (several nodes), the token is created in the
cluster's shared tenancy (JetStream key-value buckets) instead; the hubs may
keep running, and every node accepts it within a second.
`;

export async function run(argv: string[]): Promise<number> {
  const parsed = parseCommand('recovery', argv, { org: { type: 'string' }, 'data-dir': { type: 'string' }, description: { type: 'string' } }, USAGE, (p) => p.length === 1 && p[0] === 'create-token');
  if (typeof parsed === 'number') return parsed;
  const { values } = parsed;
  const { Tenancy: TenancyClass } = await import('../tenancy/tenancy.ts');
  const natsUrl = process.env.HOOKLINE_NATS_URL;
  if (natsUrl) {
    const { connectNatsHub } = await import('../events/nats-hub.ts');
    const { openTenancyCollections, closeTenancyCollections } = await import('../tenancy/tenancy-collections.ts');
    const quiet = { info() {}, warn() {}, error() {} };
    const nats = await connectNatsHub(natsUrl, quiet);
    try {
      const collections = await openTenancyCollections((name) => nats.collection(name));
      try {
        return await createToken(TenancyClass.over(collections), values);
      } finally {
        await closeTenancyCollections(collections);
      }
    } finally {
      await nats.close();
    }
  }
  const dir = (values['data-dir'] as string | undefined) ?? process.env.HOOKLINE_DATA_DIR ?? './data';
  if (!existsSync(join(dir, 'hookline.duckdb'))) {
    process.stderr.write(`hookline recovery: no hookline data in ${dir} (give --data-dir)\n`);
    return 1;
  }
  const { Duck } = await import('../storage/duck/duck.ts');
  let duck;
  try {
    duck = await Duck.open({ path: join(dir, 'hookline.duckdb'), threads: 1 });
  } catch (e) {
    const msg = (e as Error).message;
    if (/lock/i.test(msg)) {
      process.stderr.write(`hookline recovery: ${dir} is in use by a running hookline (its catalog is locked); stop it first\n`);
      return 1;
    }
    throw e;
  }
  try {
    return await createToken(await TenancyClass.open(duck.meta), values);
  } finally {
    await duck.close();
  }
}

async function createToken(tenancy: Tenancy, values: Record<string, string | boolean | undefined>): Promise<number> {
  const { operatorPermissions } = await import('../tenancy/permissions.ts');
  const orgName = values.org as string | undefined;
  const org = orgName ? tenancy.findOrg(orgName) : tenancy.listOrgs()[0];
  if (!org) {
    const known = tenancy.listOrgs().map((o) => o.name).join(', ');
    process.stderr.write(`hookline recovery: org not found: ${orgName ?? '(none)'}${known ? ` (orgs: ${known})` : ''}\n`);
    return 1;
  }
  const user = tenancy.listUsers()[0] ?? (await tenancy.createUser('admin'));
  const { auth, token } = await tenancy.createAuthorization({
    orgID: org.id,
    userID: user.id,
    description: (values.description as string | undefined) ?? `recovery token ${new Date().toISOString().slice(0, 10)}`,
    permissions: operatorPermissions(),
  });
  process.stderr.write(`created an all-access token (id ${auth.id}) in org ${org.name}; it is shown only now:\n`);
  process.stdout.write(token + '\n');
  return 0;
}
