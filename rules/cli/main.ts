/** Entry point of `npm run -s rules -- …` (see run.ts). */
import { run } from './run';

const result = run(process.argv.slice(2));
if (result.stdout) process.stdout.write(result.stdout);
if (result.stderr) process.stderr.write(result.stderr);
process.exitCode = result.code;
