// The package mirror of this workplace carries only Linux builds of DuckDB's
// native bindings, so `npm install` here leaves the other platforms' optional
// packages out of package-lock.json and `npm ci` then refuses the lock file.
// This adds the entries npm writes with the public registry (name, version,
// os/cpu/libc; npm skips them on other platforms). Run after `npm install`.
import { readFileSync, writeFileSync } from 'node:fs';

const path = new URL('../package-lock.json', import.meta.url);
const lock = JSON.parse(readFileSync(path, 'utf8'));
const packages = lock.packages;
let added = 0;
for (const [key, pkg] of Object.entries(packages)) {
  for (const dep of Object.keys(pkg.optionalDependencies ?? {})) {
    const m = /^@duckdb\/node-bindings-(\w+)-(\w+)(?:-(\w+))?$/.exec(dep);
    const entry = key === '' ? `node_modules/${dep}` : `${key}/node_modules/${dep}`.replace(/^node_modules\/@duckdb\/node-bindings\/node_modules\//, 'node_modules/');
    if (!m || packages[`node_modules/${dep}`] || packages[entry]) continue;
    const [, os, cpu, libc] = m;
    packages[`node_modules/${dep}`] = {
      version: pkg.optionalDependencies[dep],
      cpu: [cpu],
      ...(os === 'linux' ? { libc: [libc ?? 'glibc'] } : {}),
      license: 'MIT',
      optional: true,
      os: [os],
    };
    added++;
  }
}
const sorted = Object.fromEntries([['', packages['']], ...Object.entries(packages).filter(([k]) => k !== '').sort(([a], [b]) => (a < b ? -1 : 1))]);
lock.packages = sorted;
writeFileSync(path, JSON.stringify(lock, null, 2) + '\n');
console.log(`package-lock.json: ${added} platform entries added`);
