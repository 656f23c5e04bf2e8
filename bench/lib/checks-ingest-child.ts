// The ingest side of bench/checks.ts, in its own process (so the client does
// not share the server's event loop): generates the deterministic dataset and
// posts it to /api/v2/write, two requests in flight; prints one JSON line.
//   node --import tsx bench/lib/checks-ingest-child.ts <url> <token> <org> <bucket> <points>
import { generateDataset } from './dataset.ts';

const [url, token, org, bucket, pointsText] = process.argv.slice(2);
const data = generateDataset(Number(pointsText), 5000);
const started = performance.now();
let next = 0;
async function worker(): Promise<void> {
  for (;;) {
    const i = next++;
    if (i >= data.batches.length) return;
    for (;;) {
      const r = await fetch(`${url}/api/v2/write?org=${encodeURIComponent(org)}&bucket=${encodeURIComponent(bucket)}&precision=s`, { method: 'POST', headers: { authorization: `Token ${token}` }, body: data.batches[i] });
      await r.arrayBuffer();
      if (r.status === 204) break;
      if (r.status !== 503 && r.status !== 429) throw new Error(`write answered ${r.status}`);
      await new Promise((res) => setTimeout(res, 200));
    }
  }
}
await Promise.all([worker(), worker()]);
const ms = performance.now() - started;
process.stdout.write(JSON.stringify({ points: data.points, ms, pointsPerSecond: Math.round(data.points / (ms / 1000)) }) + '\n');
