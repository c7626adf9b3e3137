/**
 * `npm run -s rules -- <command>`: eval | validate | simulate. stdout carries only the result;
 * errors go to stderr. Exit 0 on success, 2 on bad input (pack, ticket, time, option), 1 on an
 * internal fault.
 */
import { parseArgs } from 'node:util';
import { EvaluateError } from '../engine/evaluate';
import { TicketError } from '../model/ticket';
import { PackError } from '../pack/errors';
import { evalCommand, simulateCommand, validateCommand } from './commands';
import type { Options } from './commands';
import { UsageError } from './io';

const USAGE = `usage:
  rules eval --pack PACK --ticket TICKET.json --now ISO [--history PAST.json] [--event created|updated|transition:STATE|daily]
  rules validate --pack PACK [--json]
  rules simulate --pack DRAFT (--tickets PAST.json --now ISO | --data SEAT-FOLDER [--now ISO]) [--since 30d|ISO] [--current PACK] [--json]`;

export type Command = (options: Options) => string | Promise<string>;

export const COMMANDS: Readonly<Record<string, { run: Command; options: readonly string[] }>> = {
  eval: { run: evalCommand, options: ['pack', 'ticket', 'now', 'history', 'event'] },
  validate: { run: validateCommand, options: ['pack', 'json'] },
  simulate: { run: simulateCommand, options: ['pack', 'tickets', 'data', 'now', 'since', 'current', 'json'] },
};

function isUserError(error: unknown): boolean {
  return error instanceof UsageError || error instanceof PackError || error instanceof TicketError || error instanceof EvaluateError;
}

export interface RunResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export async function run(argv: readonly string[], commands = COMMANDS): Promise<RunResult> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === 'help') return { code: name ? 0 : 2, stdout: name ? `${USAGE}\n` : '', stderr: name ? '' : `${USAGE}\n` };
  const command = commands[name];
  if (!command) return { code: 2, stdout: '', stderr: `unknown command "${name}"\n${USAGE}\n` };
  try {
    const allowed = command.options;
    const { values, positionals } = parseArgs({
      args: [...rest], strict: true, allowPositionals: true,
      options: Object.fromEntries(allowed.map((o) => [o, { type: o === 'json' ? 'boolean' : 'string' }])) as Record<string, { type: 'string' | 'boolean' }>,
    });
    if (positionals.length) throw new UsageError(`unexpected argument "${positionals[0]}"`);
    return { code: 0, stdout: await command.run(values as Options), stderr: '' };
  } catch (error) {
    if (isUserError(error)) return { code: 2, stdout: '', stderr: `${(error as Error).message}\n` };
    const code = (error as { code?: unknown }).code;
    if (typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS')) {
      return { code: 2, stdout: '', stderr: `${(error as Error).message}\n${USAGE}\n` };
    }
    return { code: 1, stdout: '', stderr: `internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n` };
  }
}

