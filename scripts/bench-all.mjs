#!/usr/bin/env node
// `npm run bench`: every benchmark in turn (`npm run -s bench:<area> -- --json`), each against its
// named baseline measured in the same run; prints each one's output and, last, one JSON object
// keyed by area. Benchmarks stay out of `npm test`. `npm run bench -- store rules` runs a subset.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
const all = Object.keys(pkg.scripts).filter((s) => s.startsWith('bench:')).map((s) => s.slice('bench:'.length));
const wanted = process.argv.slice(2);
const unknown = wanted.filter((w) => !all.includes(w));
if (unknown.length) {
  console.error(`unknown benchmark(s): ${unknown.join(', ')} (known: ${all.join(', ')})`);
  process.exit(2);
}
const areas = wanted.length ? wanted : all;
const results = {};
let failed = false;
for (const area of areas) {
  console.log(`\n=== bench:${area} ===`);
  const r = spawnSync('npm', ['run', '-s', `bench:${area}`, '--', '--json'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  process.stdout.write(r.stdout ?? '');
  const last = (r.stdout ?? '').trim().split('\n').pop() ?? '';
  try {
    results[area] = JSON.parse(last);
  } catch {
    results[area] = { error: `exit ${r.status}, no JSON on the last line` };
    failed = true;
  }
  if (r.status !== 0) failed = true;
}
console.log(JSON.stringify(results));
process.exit(failed ? 1 : 0);
