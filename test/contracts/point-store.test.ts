// Every PointStore implementation passes the same suite (point-store.contract.ts):
// the in-memory store, and the embedded Parquet store over a temporary data
// directory and a real DuckDB (point-store-factories.ts).

import { pointStoreContract } from './point-store.contract.ts';
import { pointStoreFactories } from './point-store-factories.ts';

for (const factory of pointStoreFactories) pointStoreContract(factory);
