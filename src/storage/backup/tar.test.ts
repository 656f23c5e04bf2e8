import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readTar, tarEnd, tarHeader, tarPadding, type TarEvent } from './tar.ts';

function archive(files: Array<[string, Buffer]>): Buffer {
  const parts: Buffer[] = [];
  for (const [p, b] of files) parts.push(tarHeader(p, b.length, 1_700_000_000), b, tarPadding(b.length));
  parts.push(tarEnd());
  return Buffer.concat(parts);
}

async function read(buf: Buffer, chunk: number): Promise<Array<[string, string]>> {
  async function* chunks() {
    for (let i = 0; i < buf.length; i += chunk) yield buf.subarray(i, i + chunk);
  }
  const out: Array<[string, string]> = [];
  let cur: [string, Buffer[]] | undefined;
  for await (const ev of readTar(chunks()) as AsyncGenerator<TarEvent>) {
    if (ev.type === 'file') cur = [ev.path, []];
    else if (ev.type === 'data') cur![1].push(Buffer.from(ev.chunk));
    else out.push([cur![0], Buffer.concat(cur![1]).toString('utf8')]);
  }
  return out;
}

const LONG = `buckets/${'b'.repeat(60)}/${'m'.repeat(60)}/part-1700000000/000000042.parquet`;
const FILES: Array<[string, Buffer]> = [
  ['manifest.json', Buffer.from('{"a":1}\n')],
  ['empty', Buffer.alloc(0)],
  [LONG, Buffer.from('x'.repeat(1500))],
  ['exact', Buffer.from('y'.repeat(512))],
];

test('a written archive reads back the same, whatever the chunk sizes', async () => {
  const buf = archive(FILES);
  const want = FILES.map(([p, b]) => [p, b.toString('utf8')]);
  for (const chunk of [1, 7, 511, 512, 513, 100_000]) assert.deepEqual(await read(buf, chunk), want, `chunk ${chunk}`);
});

test('a truncated archive is an error, not a short read', async () => {
  const buf = archive(FILES);
  await assert.rejects(read(buf.subarray(0, 2000), 300), /ends/);
});

test('tar(1) extracts what the writer wrote (long paths through the ustar prefix)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'hookline-tar-'));
  try {
    writeFileSync(join(dir, 'a.tar'), archive(FILES));
    const r = spawnSync('tar', ['-xf', 'a.tar'], { cwd: dir });
    assert.ok(!r.error, `tar(1) is needed for this test: ${String(r.error)}`);
    assert.equal(r.status, 0, String(r.stderr));
    assert.equal(readFileSync(join(dir, LONG), 'utf8'), 'x'.repeat(1500));
    assert.equal(readFileSync(join(dir, 'manifest.json'), 'utf8'), '{"a":1}\n');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
