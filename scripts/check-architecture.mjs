#!/usr/bin/env node
// Checks the import rules of docs/architecture.md (issue 11) over every file
// under src/: which folder may import which, and no file-level import cycle.
//
// The moves that make the rules hold are not done yet, so today's violations
// are listed in scripts/architecture-baseline.json. The check fails on a
// violation that is not listed (a new arrow in the wrong direction) and on a
// listed one that no longer occurs (it was fixed: take it off the list, so the
// list only shrinks). `--update-baseline` rewrites the list from the tree.
//
// Imports are read with a regex over import/export-from statements, type-only
// ones included (a type import is still an arrow between parts), plus
// dynamic import('...'). Only relative specifiers name our files; packages
// (fastify, nats, node:fs) are not checked here.
//
// usage: node scripts/check-architecture.mjs [--update-baseline] [--root DIR] [--baseline FILE]

import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const FEATURES = ['query', 'ingest', 'alerts', 'events', 'integrations', 'storage', 'devices', 'secrets', 'templates', 'tenancy', 'opentsdb', 'mqtt', 'explorer', 'demo', 'simulate', 'hub', 'cluster', 'replication', 'dashboards'];

/** Each rule: a name, and whether an import from `from` to `to` (paths relative to src/, with /) breaks it. */
const RULES = [
  { name: 'feature-imports-http', why: 'feature folders never import src/http/ (http imports them)', test: (from, to) => FEATURES.includes(top(from)) && top(to) === 'http' },
  { name: 'http-imports-storage', why: 'src/http/ never imports src/storage/ (it gets services through core/ports)', test: (from, to) => top(from) === 'http' && top(to) === 'storage' },
  { name: 'query-imports-storage', why: 'src/query/ reads the store only through src/core/ports', test: (from, to) => top(from) === 'query' && top(to) === 'storage' },
  { name: 'events-imports-integrations', why: 'src/events/ knows nothing of src/integrations/', test: (from, to) => top(from) === 'events' && top(to) === 'integrations' },
  { name: 'core-imports-outside', why: 'src/core/ imports nothing outside src/core/', test: (from, to) => top(from) === 'core' && top(to) !== 'core' },
];

function top(p) {
  const i = p.indexOf('/');
  return i < 0 ? '' : p.slice(0, i); // files directly in src/ (server.ts) belong to no folder
}

const args = process.argv.slice(2);
const opt = (name) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const root = resolve(opt('--root') ?? join(dirname(fileURLToPath(import.meta.url)), '..'));
const srcDir = join(root, 'src');
const baselineFile = resolve(opt('--baseline') ?? join(root, 'scripts', 'architecture-baseline.json'));
const update = args.includes('--update-baseline');

const SOURCE = /\.(ts|mts|js|mjs)$/;

function walk(dir, out = []) {
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name.startsWith('.')) continue;
    const p = join(dir, name);
    if (statSync(p).isDirectory()) walk(p, out);
    else if (SOURCE.test(name) && !name.endsWith('.d.ts')) out.push(p);
  }
  return out;
}

/** Block comments and whole-line // comments removed (a `//` inside a string, e.g. a URL, is kept). */
function stripComments(text) {
  return text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
}

const IMPORT_RE = /(?:^|[;}\s])(?:import|export)\s+(?:type\s+)?(?:[\w*{}\s,$]*?\s+from\s+)?['"]([^'"\n]+)['"]|\bimport\(\s*['"]([^'"\n]+)['"]\s*\)/g;

export function importsOf(text) {
  const out = [];
  for (const m of stripComments(text).matchAll(IMPORT_RE)) out.push(m[1] ?? m[2]);
  return out;
}

/** The file a relative specifier names: as written, or a .js spelling of a .ts file. */
function resolveSpecifier(fromFile, spec) {
  if (!spec.startsWith('.')) return undefined;
  const base = resolve(dirname(fromFile), spec);
  for (const c of [base, base.replace(/\.js$/, '.ts'), base.replace(/\.mjs$/, '.mts'), `${base}.ts`, join(base, 'index.ts')]) {
    if (existsSync(c) && statSync(c).isFile()) return c;
  }
  return undefined;
}

const rel = (p) => relative(srcDir, p).split(sep).join('/');

function buildGraph() {
  const files = walk(srcDir).sort();
  const graph = new Map();
  for (const f of files) {
    const to = new Set();
    for (const spec of importsOf(readFileSync(f, 'utf8'))) {
      const target = resolveSpecifier(f, spec);
      if (target && target.startsWith(srcDir + sep)) to.add(rel(target));
    }
    graph.set(rel(f), [...to].sort());
  }
  return graph;
}

/** Strongly connected components (Tarjan), iteratively: those of more than one file, or a file importing itself, are cycles. */
function cycles(graph) {
  let index = 0;
  const idx = new Map();
  const low = new Map();
  const onStack = new Set();
  const stack = [];
  const out = [];
  for (const start of graph.keys()) {
    if (idx.has(start)) continue;
    const work = [[start, 0]];
    idx.set(start, index);
    low.set(start, index++);
    stack.push(start);
    onStack.add(start);
    while (work.length > 0) {
      const frame = work[work.length - 1];
      const [v, i] = frame;
      const edges = graph.get(v) ?? [];
      if (i < edges.length) {
        frame[1]++;
        const w = edges[i];
        if (!graph.has(w)) continue;
        if (!idx.has(w)) {
          idx.set(w, index);
          low.set(w, index++);
          stack.push(w);
          onStack.add(w);
          work.push([w, 0]);
        } else if (onStack.has(w)) low.set(v, Math.min(low.get(v), idx.get(w)));
        continue;
      }
      work.pop();
      if (work.length > 0) {
        const parent = work[work.length - 1][0];
        low.set(parent, Math.min(low.get(parent), low.get(v)));
      }
      if (low.get(v) === idx.get(v)) {
        const scc = [];
        let w;
        do {
          w = stack.pop();
          onStack.delete(w);
          scc.push(w);
        } while (w !== v);
        if (scc.length > 1 || (graph.get(v) ?? []).includes(v)) out.push(scc.sort());
      }
    }
  }
  return out;
}

export function violations(graph) {
  const found = new Set();
  for (const [from, tos] of graph) {
    for (const to of tos) for (const r of RULES) if (r.test(from, to)) found.add(`${r.name}: ${from} -> ${to}`);
  }
  for (const scc of cycles(graph)) found.add(`cycle: ${scc.join(' <-> ')}`);
  return [...found].sort();
}

function main() {
  const graph = buildGraph();
  const current = violations(graph);
  const ruleOf = (v) => v.slice(0, v.indexOf(':'));
  if (update) {
    const doc = {
      about: 'Violations of the import rules (docs/architecture.md) that the tree still has. scripts/check-architecture.mjs fails on any other, and on an entry here that no longer occurs. Regenerate with: node scripts/check-architecture.mjs --update-baseline',
      violations: current,
    };
    writeFileSync(baselineFile, JSON.stringify(doc, null, 2) + '\n');
    console.log(`architecture baseline written: ${current.length} violations (${baselineFile})`);
    return 0;
  }
  const baseline = existsSync(baselineFile) ? JSON.parse(readFileSync(baselineFile, 'utf8')).violations : [];
  const known = new Set(baseline);
  const now = new Set(current);
  const added = current.filter((v) => !known.has(v));
  const fixed = baseline.filter((v) => !now.has(v));
  const counts = {};
  for (const v of current) counts[ruleOf(v)] = (counts[ruleOf(v)] ?? 0) + 1;
  console.log(`architecture: ${graph.size} files, ${[...graph.values()].reduce((n, t) => n + t.length, 0)} imports between them`);
  for (const r of [...RULES.map((r) => r.name), 'cycle']) console.log(`  ${r.padEnd(28)} ${String(counts[r] ?? 0).padStart(4)} (baseline)`);
  for (const v of added) console.log(`NEW      ${v}`);
  for (const v of fixed) console.log(`FIXED    ${v}   <- no longer occurs: remove it from the baseline (--update-baseline)`);
  if (added.length > 0) {
    console.log(`\n${added.length} new violation(s). The rules:`);
    for (const r of RULES) console.log(`  ${r.name}: ${r.why}`);
    console.log('  cycle: no file-level import cycle (move the shared type to the file both need)');
  }
  if (added.length > 0 || fixed.length > 0) return 1;
  console.log(`architecture: ok (${current.length} known violations left in the baseline)`);
  return 0;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) process.exit(main());
