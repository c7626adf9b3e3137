/** Command-line plumbing: user errors (exit 2) vs. internal faults (exit 1), file reading. */
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { parseTicket } from '../model/ticket';
import type { Ticket } from '../model/ticket';
import { parseInstant } from '../time/instant';
import { parseDuration } from '../time/duration';

/** Bad input from the user: printed to stderr, exit code 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

export function readText(path: string, what: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new UsageError(`cannot read ${what} ${path}${code ? ` (${code})` : ''}`);
  }
}

export function readJson(path: string, what: string): unknown {
  const text = readText(path, what);
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new UsageError(`${basename(path)}: not valid JSON (${error instanceof Error ? error.message : String(error)})`);
  }
}

export function readTicket(path: string): Ticket {
  return parseTicket(readJson(path, 'ticket'), basename(path));
}

export function readTickets(path: string): Ticket[] {
  const data = readJson(path, 'tickets');
  const name = basename(path);
  if (!Array.isArray(data)) throw new UsageError(`${name}: expected a JSON array of tickets`);
  return data.map((item, i) => parseTicket(item, `${name}[${i}]`));
}

export function requireOption(value: string | undefined, name: string): string {
  if (value === undefined || value === '') throw new UsageError(`missing --${name}`);
  return value;
}

export function readNow(value: string | undefined): number {
  const text = requireOption(value, 'now');
  const ms = parseInstant(text);
  if (ms === null) throw new UsageError(`--now ${text}: expected an ISO-8601 time with an offset, e.g. 2026-02-18T22:10:00+08:00`);
  return ms;
}

export function readSpan(value: string | undefined, fallback: string): number {
  const text = value ?? fallback;
  const span = parseDuration(text);
  if (!span) throw new UsageError(`--since ${text}: expected a duration like 30d (an integer and one unit: s, m, h, d)`);
  return span.ms;
}
