// scripts/check-architecture.mjs: the tree keeps the import rules of
// docs/architecture.md, apart from the violations its baseline still lists;
// and the checker itself catches a new violation, a fixed one still listed,
// and a cycle, on a small tree built here.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

const script = new URL('../scripts/check-architecture.mjs', import.meta.url).pathname;

function check(...args: string[]): { status: number | null; out: string } {
  const r = spawnSync(process.execPath, [script, ...args], { encoding: 'utf8' });
  return { status: r.status, out: r.stdout + r.stderr };
}

test('src/ breaks no import rule beyond scripts/architecture-baseline.json, and every listed violation still occurs', () => {
  const r = check();
  assert.equal(r.status, 0, r.out);
  assert.match(r.out, /architecture: ok/);
});

async function tree(files: Record<string, string>): Promise<string> {
  const root = await mkdtemp(join(tmpdir(), 'hookline-arch-'));
  await mkdir(join(root, 'scripts'));
  for (const [path, text] of Object.entries(files)) {
    await mkdir(dirname(join(root, 'src', path)), { recursive: true });
    await writeFile(join(root, 'src', path), text);
  }
  return root;
}

test('the checker: new violations and cycles fail, baselined ones pass, a fixed one still listed fails', async () => {
  const root = await tree({
    'core/point.ts': 'export interface Point { m: string }\n',
    'http/routes.ts': "import type { Point } from '../core/point.ts';\nexport const r = 1;\n",
    // multi-line, type-only import of http from a feature folder: a violation
    'query/run.ts': "import {\n  type Point,\n} from '../core/point.ts';\nimport type {\n  r,\n} from '../http/routes.ts';\nexport const q = 1;\n",
    // an import in a comment is not an import
    'storage/a.ts': "// import { b } from './b.ts';\nimport { b } from './b.ts';\nexport const a = b;\n",
    'storage/b.ts': "export { a } from './a.ts';\nexport const b = 2;\n",
    'server.ts': "import { q } from './query/run.ts';\nimport { r } from './http/routes.ts';\n",
  });
  try {
    let r = check('--root', root);
    assert.equal(r.status, 1, r.out);
    assert.match(r.out, /NEW +feature-imports-http: query\/run\.ts -> http\/routes\.ts/);
    assert.match(r.out, /NEW +cycle: storage\/a\.ts <-> storage\/b\.ts/);
    assert.equal((r.out.match(/^NEW/gm) ?? []).length, 2, r.out);

    assert.equal(check('--root', root, '--update-baseline').status, 0);
    const baseline = JSON.parse(await readFile(join(root, 'scripts', 'architecture-baseline.json'), 'utf8'));
    assert.equal(baseline.violations.length, 2);
    r = check('--root', root);
    assert.equal(r.status, 0, r.out);

    // a new arrow: http reaches into storage, core reaches out
    await writeFile(join(root, 'src', 'http', 'routes.ts'), "import { a } from '../storage/a.ts';\nexport const r = a;\n");
    await writeFile(join(root, 'src', 'core', 'point.ts'), "import { q } from '../query/run.ts';\nexport const p = q;\n");
    r = check('--root', root);
    assert.equal(r.status, 1, r.out);
    assert.match(r.out, /NEW +http-imports-storage: http\/routes\.ts -> storage\/a\.ts/);
    assert.match(r.out, /NEW +core-imports-outside: core\/point\.ts -> query\/run\.ts/);

    // fixing a baselined violation without updating the baseline also fails
    await writeFile(join(root, 'src', 'http', 'routes.ts'), 'export const r = 1;\n');
    await writeFile(join(root, 'src', 'core', 'point.ts'), 'export const p = 1;\n');
    await writeFile(join(root, 'src', 'storage', 'b.ts'), 'export const b = 2;\n');
    r = check('--root', root);
    assert.equal(r.status, 1, r.out);
    assert.match(r.out, /FIXED +cycle: storage\/a\.ts <-> storage\/b\.ts/);
    assert.doesNotMatch(r.out, /^NEW/m);
  } finally {
    await rm(root, { recursive: true, force: true });
  }
});
