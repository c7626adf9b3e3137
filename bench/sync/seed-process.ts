/**
 * Seeds a sync server data folder with the demo site and N tickets (`seedDemo`, what `--demo N`
 * does at server start), in its own process and without the server's start-up time limit.
 * Usage: node --import tsx bench/sync/seed-process.ts DIR N
 */
import { EmbeddedStorage } from '../../sync-server/storage/embedded';
import { seedDemo } from '../../sync-server/seed/demo';

const [dir, n] = process.argv.slice(2);
const count = Number(n);
if (!dir || !Number.isInteger(count) || count < 0) throw new Error('usage: seed-process.ts DIR COUNT');
const storage = await EmbeddedStorage.open({ dir });
const t0 = Date.now();
let last = 0;
await seedDemo(storage, count, new Date(), (line) => {
  if (Date.now() - last > 10_000) process.stderr.write(`[bench:sync seed] ${line} (${((Date.now() - t0) / 1000).toFixed(0)} s)\n`);
  last = Date.now();
});
await storage.close();
