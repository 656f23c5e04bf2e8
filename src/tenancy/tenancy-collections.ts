// Where tenancy keeps its records: one Collection (core/ports/collection.ts)
// per kind. Alone, DuckDB tables in the catalog (DuckCollection); with
// HOOKLINE_NATS_URL, JetStream key-value buckets <ns>_tenancy_* that every
// node follows with a watch (NatsCollection), so a token or bucket created
// through one node works on every node within the watch's delay (issue 16).
// server.ts picks the implementation and passes `open`.

import type { Collection } from '../core/ports/collection.ts';
import type { ContinuousQuery } from './continuous-queries.ts';
import type { Authorization, Bucket, Org, User } from './model.ts';
import type { StoredV1User } from './v1-users.ts';

/** A 1.x database's default retention policy (hl_dbrp). */
export interface DbrpDoc {
  orgID: string;
  db: string;
  rp: string;
}

export interface TenancyCollections {
  orgs: Collection<Org>;
  buckets: Collection<Bucket>;
  users: Collection<User>;
  authorizations: Collection<Authorization>;
  dbrp: Collection<DbrpDoc>;
  v1Users: Collection<StoredV1User>;
  continuousQueries: Collection<ContinuousQuery>;
}

export type OpenCollection = <T>(name: string) => Promise<Collection<T>>;

export async function openTenancyCollections(open: OpenCollection): Promise<TenancyCollections> {
  return {
    orgs: await open<Org>('tenancy_orgs'),
    buckets: await open<Bucket>('tenancy_buckets'),
    users: await open<User>('tenancy_users'),
    authorizations: await open<Authorization>('tenancy_authorizations'),
    dbrp: await open<DbrpDoc>('tenancy_dbrp'),
    v1Users: await open<StoredV1User>('tenancy_v1_users'),
    continuousQueries: await open<ContinuousQuery>('tenancy_continuous_queries'),
  };
}

export async function closeTenancyCollections(c: TenancyCollections): Promise<void> {
  for (const x of Object.values(c) as Collection<unknown>[]) await x.close();
}
