/**
 * The engine's own entry point (see run.ts): eval, validate, simulate --tickets. `npm run -s rules`
 * runs electron/main/rules/cli/main.ts, which adds `simulate --data SEAT-FOLDER`.
 */
import { run } from './run';

const result = await run(process.argv.slice(2));
if (result.stdout) process.stdout.write(result.stdout);
if (result.stderr) process.stderr.write(result.stderr);
process.exitCode = result.code;
