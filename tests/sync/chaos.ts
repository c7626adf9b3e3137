import { parseArgs } from 'node:util';
import { runChaos } from './chaos/run';

/**
 * `npm run -s test:chaos -- --seed N --seats K --ops M [--kills K] [--json]`: a seeded chaos run
 * against the real server (child process); exit 0 only if every invariant holds.
 */
const { values } = parseArgs({
  options: {
    seed: { type: 'string', default: '1' },
    seats: { type: 'string', default: '4' },
    ops: { type: 'string', default: '300' },
    kills: { type: 'string', default: '3' },
    json: { type: 'boolean', default: false },
  },
});
const num = (v: string, name: string, min: number, max: number): number => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < min || n > max) {
    process.stderr.write(`--${name} must be an integer from ${min} to ${max}\n`);
    process.exit(2);
  }
  return n;
};

const report = await runChaos({
  seed: num(values.seed, 'seed', 0, 2 ** 31),
  seats: num(values.seats, 'seats', 2, 10),
  ops: num(values.ops, 'ops', 1, 100_000),
  maxKills: num(values.kills, 'kills', 0, 100),
  log: (l) => !values.json && process.stderr.write(`[chaos] ${l}\n`),
});
if (values.json) process.stdout.write(JSON.stringify(report) + '\n');
else {
  const { problems, ...summary } = report;
  process.stdout.write(`${report.ok ? 'OK' : 'FAILED'} ${JSON.stringify(summary)}\n`);
  for (const p of problems.slice(0, 50)) process.stdout.write(`  - ${p}\n`);
}
process.exit(report.ok ? 0 : 1);
