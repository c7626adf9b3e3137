/**
 * Entry point of `npm run -s rules -- …`: the engine's commands (rules/cli), with `simulate
 * --data SEAT-FOLDER` reading a seat's store (default: CLOSELOOP_DATA_DIR, the app's data folder,
 * when neither --data nor --tickets is given). Progress goes to stderr on a terminal only.
 */
import type { Options } from '../../../../rules/cli/commands';
import { COMMANDS, run } from '../../../../rules/cli/run';

const progress = process.stderr.isTTY
  ? (done: number, total: number) => process.stderr.write(`\r${done}/${total} tickets${done === total ? '\n' : ''}`)
  : undefined;
const commands = {
  ...COMMANDS,
  // The seat's store (PouchDB) is loaded only for a dry run: eval and validate start as fast as before.
  simulate: {
    run: async (o: Options & { seat?: string }) => (await import('./seat-simulate')).simulateSeatCommand(o, progress, process.env.CLOSELOOP_DATA_DIR || undefined),
    options: [...(COMMANDS.simulate?.options ?? []), 'seat'],
  },
};
const result = await run(process.argv.slice(2), commands);
if (result.stdout) process.stdout.write(result.stdout);
if (result.stderr) process.stderr.write(result.stderr);
process.exitCode = result.code;
