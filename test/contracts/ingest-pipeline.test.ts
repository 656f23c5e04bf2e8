// The one ingest call over every PointStore implementation (ingest-pipeline.contract.ts).

import { ingestPipelineContract } from './ingest-pipeline.contract.ts';
import { pointStoreFactories } from './point-store-factories.ts';

for (const factory of pointStoreFactories) ingestPipelineContract(factory);
