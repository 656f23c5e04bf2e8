// A seeded fuzz run of every parser that reads untrusted text (issue 10): line
// protocol (fast and exact paths), OpenTSDB put JSON (reader and transcoder)
// and telnet put lines, InfluxQL, OpenTSDB queries (GET parameters and POST
// bodies), Particle mustache templates, and integration definitions down to
// the request they build. Each gets mutated fixtures, random text and random
// bytes, for at most a few seconds; it must return, or throw only its own
// documented error, and never hang. The seed is printed; HOOKLINE_FUZZ_SEED
// replays another.
//
// Not here: the SQL text check (src/query/sql/check-sql.ts) asks DuckDB to
// parse, so it is not pure; the SQL escape corpus covers it.

import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { FUZZ_SEED, RUN, fuzzText, guard } from './helpers/fuzz.ts';
import { parseLineProtocol } from '../src/ingest/line-protocol/parse.ts';
import { toPoints } from '../src/ingest/line-protocol/decode.ts';
import { parsePutJson } from '../src/ingest/opentsdb/parse-put-json.ts';
import { transcodePut } from '../src/ingest/opentsdb/transcode-put.ts';
import { parsePut, splitWords } from '../src/ingest/opentsdb/parse-telnet.ts';
import { parseRequest } from '../src/query/influxql/run-query.ts';
import { parseQuery } from '../src/query/influxql/parse-statements.ts';
import { ParseError } from '../src/query/influxql/parser.ts';
import { InvalidDuration } from '../src/query/influxql/duration.ts';
import { HooklineError } from '../src/core/errors.ts';
import { parseQueryBody, parseQueryParams } from '../src/query/opentsdb/parse-query.ts';
import { QueryError as TsQueryError } from '../src/core/errors.ts';
import { render } from '../src/templates/render-template.ts';
import { TemplateSyntaxError } from '../src/templates/parse-template.ts';
import { eventContext } from '../src/templates/event-context.ts';
import { FieldError, parseWebhook } from '../src/integrations/integration-schema.ts';
import { BuildError, buildRequest } from '../src/integrations/build-request.ts';

const NOW_MS = Date.UTC(2026, 0, 1);
const NOW = { sec: NOW_MS / 1000, nsec: 0 };

function fixture(path: string): any {
  return JSON.parse(readFileSync(new URL(`../src/${path}`, import.meta.url), 'utf8'));
}

/** Every string value under `key` anywhere in a fixture. */
function collect(v: unknown, key: string, out: string[] = []): string[] {
  if (Array.isArray(v)) for (const x of v) collect(x, key, out);
  else if (v && typeof v === 'object') {
    for (const [k, x] of Object.entries(v)) {
      if (k === key && typeof x === 'string') out.push(x);
      else collect(x, key, out);
    }
  }
  return out;
}

before(() => console.log(`fuzz seed ${FUZZ_SEED} (replay with HOOKLINE_FUZZ_SEED=${FUZZ_SEED})`));

test('line protocol: any body parses to points and per-line errors, the fast path agreeing with the exact one', () => {
  const seeds = [...collect(fixture('ingest/line-protocol/fixtures/parse-cases.json'), 'input'), ...collect(fixture('ingest/line-protocol/fixtures/upstream-cases.json'), 'input')];
  const precisions = ['ns', 'us', 'ms', 's', 'auto'] as const;
  fc.assert(
    fc.property(fuzzText(seeds), fc.constantFrom(...precisions), (text, precision) => {
      const buf = Buffer.from(text, 'utf8');
      const fast = guard('parseLineProtocol', text, [], () => toPoints(parseLineProtocol(buf, { precision, now: NOW })));
      const exactBatch = guard('parseLineProtocol (exact)', text, [], () => parseLineProtocol(buf, { precision, now: NOW, exactOnly: true }));
      const exact = guard('toPoints (exact)', text, [], () => toPoints(exactBatch!));
      assert.deepEqual(fast, exact, `fast and exact paths differ for ${JSON.stringify(text)}`);
    }),
    RUN,
  );
});

test('OpenTSDB put JSON: the reader and the transcoder answer every body without throwing', () => {
  const seeds = collect(fixture('ingest/opentsdb/fixtures/put-json-cases.json'), 'body').filter((s) => s.length > 0);
  fc.assert(
    fc.property(fuzzText(seeds), fc.constantFrom('strict', 'lenient'), (body, mode) => {
      guard('parsePutJson', body, [], () => parsePutJson(body));
      guard('transcodePut', body, [], () => transcodePut(Buffer.from(body, 'utf8'), mode as 'strict', NOW_MS));
    }),
    RUN,
  );
});

test('OpenTSDB telnet: any put line is a point or an error line', () => {
  const seeds = collect(fixture('ingest/opentsdb/fixtures/telnet-cases.json'), 'line');
  fc.assert(
    fc.property(fuzzText(seeds), fc.constantFrom('strict', 'lenient'), (line, mode) => {
      guard('parsePut', line, [], () => parsePut(splitWords(line), mode as 'strict', NOW_MS));
    }),
    RUN,
  );
});

test('InfluxQL: any query parses or fails with a parse error', () => {
  const seeds = [
    ...collect(fixture('query/influxql/fixtures/parse-cases.json'), 'q'),
    ...collect(fixture('query/influxql/fixtures/influxd16-cases.json'), 'q'),
    ...collect(fixture('query/influxql/fixtures/upstream-server-cases.json'), 'q'),
  ];
  const params = fc.option(fc.oneof(fuzzText(['{"a":1}', '{"v":"x","n":1.5,"b":true}', '{"d":{"duration":"1h"}}']), fc.json()), { nil: undefined });
  fc.assert(
    fc.property(fuzzText(seeds), params, (q, p) => {
      // A number run into letters is a duration token that fails to parse ("invalid duration"), as in Go's scanner.
      guard('parseQuery', q, [ParseError, InvalidDuration], () => parseQuery(q));
      // What the HTTP routes call: parameters too, errors already coded (it turns any Error into a 400, hence parseQuery above).
      guard('parseRequest', { q, p }, [HooklineError, ParseError], () => parseRequest(q, p));
    }),
    RUN,
  );
});

test('OpenTSDB queries: any GET parameters or POST body parse or fail with a QueryError', () => {
  const mSeeds = [
    'sum:sys.cpu.user', 'sum:1m-avg:sys.cpu{host=web01}', 'avg:rate{counter,100,0}:sys.cpu{host=*}{dc=literal_or(a|b)}',
    'max:1h-max-zero:m{host=regexp(web.*)}', 'sum:5m-avg-nan:rate:m{a=wildcard(*x*),b=not_literal_or(c)}', 'zimsum:0all-sum:m',
    'p99:10s-p95-null:m{host=iliteral_or(WEB)}', 'count:1d-count-none:explicit_tags:m{host=web}',
  ];
  const timeSeeds = ['1h-ago', '1365465600', '1365465600000', '2013/04/09-00:00:00', '2013/04/09 00:00', 'now', '5m-ago'];
  const bodySeeds = [
    '{"start":"1h-ago","queries":[{"aggregator":"sum","metric":"sys.cpu","tags":{"host":"*"}}]}',
    '{"start":1365465600,"end":1365469200,"msResolution":true,"queries":[{"aggregator":"avg","metric":"m","downsample":"1m-avg-zero","rate":true,"rateOptions":{"counter":true,"counterMax":100,"resetValue":0,"dropResets":true},"filters":[{"type":"wildcard","tagk":"host","filter":"web*","groupBy":true}]}]}',
    '{"start":"5m-ago","showQuery":true,"queries":[{"aggregator":"none","tsuids":["000001000001000001"]},{"aggregator":"p99","metric":"x","explicitTags":true,"filters":[{"type":"regexp","tagk":"a","filter":"(a|b)+"}]}]}',
  ];
  fc.assert(
    fc.property(fc.array(fuzzText(mSeeds), { minLength: 1, maxLength: 3 }), fuzzText(timeSeeds), fc.option(fuzzText(timeSeeds), { nil: undefined }), (m, start, end) => {
      const q = { m, start, end, ms: 'true' };
      guard('parseQueryParams', q, [TsQueryError], () => parseQueryParams(q, NOW_MS));
    }),
    RUN,
  );
  fc.assert(
    fc.property(fuzzText(bodySeeds), (text) => {
      let body: unknown;
      try {
        body = JSON.parse(text);
      } catch {
        return; // the route answers a JSON error before the parser runs
      }
      guard('parseQueryBody', text, [TsQueryError], () => parseQueryBody(body, NOW_MS));
    }),
    RUN,
  );
});

test('mustache templates: any template over any event data renders or fails with a template syntax error', () => {
  const fx = fixture('templates/fixtures/render-cases.json');
  const templates = collect(fx, 'template');
  assert.ok(templates.length > 10);
  const data = [JSON.stringify(fx.docs), '{"a":{"b":[1,2,{"c":"x"}]}}', 'plain text'];
  fc.assert(
    fc.property(fuzzText(templates), fuzzText(data), (template, eventData) => {
      const ev = { id: 'e1', name: 'temp', data: eventData, coreid: '0123456789abcdef01234567', publishedAt: '2026-01-01T00:00:00.000Z', ttl: 60, public: false };
      const ctx = guard('eventContext', eventData, [], () => eventContext(ev, { API_KEY: 'k' }));
      guard('render', { template, eventData }, [TemplateSyntaxError], () => render(template, ctx!));
    }),
    RUN,
  );
});

test('integration definitions: any JSON object is a webhook or a field error, and a webhook builds its request or a build error', () => {
  const cases = fixture('integrations/fixtures/build-request-cases.json');
  const seedTemplate = fixture('integrations/fixtures/seed-template.json');
  const seeds = [...cases.cases.map((c: { webhook: unknown }) => JSON.stringify(c.webhook)), JSON.stringify(seedTemplate)];
  const eventData = ['{"count":42,"time":1764625907}', '{"a":{"b":[1,2]}}', 'text', ''];
  // Text mutations rarely keep JSON balanced at depth, so sometimes the json body is nested on purpose (issue 10 finding 8).
  const deepJson = fc.option(fc.tuple(fc.integer({ min: 1, max: 8000 }), fc.constantFrom('{{{PARTICLE_EVENT_VALUE}}}', 1, null)), { freq: 3, nil: undefined });
  fc.assert(
    fc.property(fuzzText(seeds), fuzzText(eventData), deepJson, (text, data, deep) => {
      let raw: unknown;
      try {
        raw = JSON.parse(text);
      } catch {
        return; // the route answers invalid JSON itself
      }
      if (!raw || typeof raw !== 'object' || Array.isArray(raw)) return;
      if (deep) {
        let json: unknown = deep[1];
        for (let i = 0; i < deep[0]; i++) json = i % 2 ? [json] : { k: json };
        const r = raw as Record<string, unknown>;
        delete r.form;
        delete r.body;
        r.json = json;
      }
      const spec = guard('parseWebhook', text, [FieldError], () => parseWebhook(raw as Record<string, unknown>));
      if (!spec) return;
      const ev = { ...cases.event, data };
      const ctx = guard('eventContext', data, [], () => eventContext(ev, {}));
      guard('buildRequest', { text, data }, [BuildError, TemplateSyntaxError], () => buildRequest(spec, ev, ctx!));
    }),
    RUN,
  );
});
