// One /query request from parameters to statement results: parse (bound
// parameters included), authorize, execute. Shared by the 1.x and 3.x routes
// and the CLI.

import { hooklineError } from '../../core/errors.ts';
import type { StoreView } from '../store-view.ts';
import type { IngestPipeline } from '../../ingest/pipeline.ts';
import type { Authorization } from '../../tenancy/model.ts';
import type { Tenancy } from '../../tenancy/tenancy.ts';
import type { Statement } from './ast.ts';
import { AuthorizationError, Executor, type StatementResult } from './executor.ts';
import { ParamValueError, parseParamsJson } from './params.ts';
import { ParseError } from './parser.ts';
import { parseQuery } from './parse-statements.ts';
import { InvalidDuration } from './duration.ts';
import type { SelectLimits } from './select/budget.ts';

/** The InfluxQL budgets a configuration sets. */
export function selectLimits(c: { maxSelectBuckets: number; maxSelectPoint: number; maxSelectSeries: number }): SelectLimits {
  return { maxBuckets: c.maxSelectBuckets, maxPoints: c.maxSelectPoint, maxSeries: c.maxSelectSeries };
}

export interface QueryRequest {
  q: string;
  db: string;
  rp: string;
  params?: string;
  readOnly: boolean;
}

export interface QueryDeps {
  store: StoreView;
  /** Where SELECT INTO writes. */
  ingest: IngestPipeline;
  tenancy: Tenancy;
  timeoutMs: number;
  /** max-select-* (HOOKLINE_MAX_SELECT_BUCKETS/POINT/SERIES); unlimited when absent. */
  limits?: SelectLimits;
}

/** Parses `q` (400 "error parsing query: ..." on failure, as InfluxDB 1.x). */
export function parseRequest(q: string, paramsText?: string): Statement[] {
  let params: Record<string, unknown> = {};
  if (paramsText) {
    try {
      params = parseParamsJson(paramsText);
    } catch (e) {
      if (e instanceof ParamValueError) throw hooklineError('BAD_REQUEST', `error parsing json value: ${e.message}`);
      throw hooklineError('BAD_REQUEST', `error parsing query parameters: ${(e as Error).message}`);
    }
  }
  try {
    return parseQuery(q, params);
  } catch (e) {
    if (e instanceof ParseError || e instanceof InvalidDuration || e instanceof Error) throw hooklineError('BAD_REQUEST', `error parsing query: ${(e as Error).message}`);
    throw e;
  }
}

export async function executeStatements(deps: QueryDeps, auth: Authorization, statements: Statement[], req: Omit<QueryRequest, 'q' | 'params'>): Promise<StatementResult[]> {
  const now = BigInt(Date.now()) * 1_000_000n;
  const ex = new Executor({
    store: deps.store,
    ingest: deps.ingest,
    tenancy: deps.tenancy,
    auth,
    orgID: auth.orgID,
    db: req.db,
    rp: req.rp,
    now,
    readOnly: req.readOnly,
    timeoutMs: deps.timeoutMs,
    limits: deps.limits,
  });
  try {
    ex.authorize(statements);
  } catch (e) {
    if (e instanceof AuthorizationError) throw hooklineError('FORBIDDEN', e.message);
    throw e;
  }
  return ex.run(statements);
}
