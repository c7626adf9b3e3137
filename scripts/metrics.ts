/**
 * `npm run -s metrics -- --tickets FILE.json --from YYYY-MM-DD --to YYYY-MM-DD --now ISO [--pack P]
 * [--baseline-from YYYY-MM-DD --baseline-to YYYY-MM-DD]`: the supervisor metrics of docs/metrics.md
 * over a JSON array of plain tickets (RULES-FORMAT.md, plus `milestones`, `location`, `returns`),
 * days counted in the pack's zone (Asia/Shanghai without a pack). stdout carries one JSON object;
 * bad input exits 2 with the reason on stderr, an internal fault exits 1.
 */
import { basename } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { MILESTONES } from '../domain/ticket';
import type { Milestone } from '../domain/ticket';
import { breakpointEliminationRate, computeMetrics, metricsConfig, periodDays, PeriodError } from '../domain/metrics';
import type { MetricTicket, MetricsConfig, Period } from '../domain/metrics';
import { UsageError, readJson, readNow, requireOption } from '../rules/cli/io';
import { TicketError, parseTicket } from '../rules/model/ticket';
import { PackError } from '../rules/pack/errors';
import { loadPackFile } from '../rules/node/load';

const USAGE = `usage: metrics --tickets FILE.json --from YYYY-MM-DD --to YYYY-MM-DD --now ISO [--pack PACK]
               [--baseline-from YYYY-MM-DD --baseline-to YYYY-MM-DD]`;

const OPTIONS = {
  tickets: { type: 'string' }, from: { type: 'string' }, to: { type: 'string' }, now: { type: 'string' },
  pack: { type: 'string' }, 'baseline-from': { type: 'string' }, 'baseline-to': { type: 'string' }, help: { type: 'boolean' },
} as const;

export interface RunResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

const text = (v: unknown): string | null => (typeof v === 'string' && v.trim() !== '' ? v : null);

/** One plain ticket, validated by the rule engine's ticket schema, as the metrics read it. */
export function toMetricTicket(input: unknown, source: string, index: number): MetricTicket {
  const raw = input as Record<string, unknown> | null;
  // `returns` may also be a count (as on a seat's ticket row); the schema knows only the list.
  const count = raw && typeof raw === 'object' ? raw.returns : undefined;
  if (typeof count === 'number' && !(Number.isInteger(count) && count >= 0)) {
    throw new TicketError(`${source}: returns: expected a list of returns or a count (an integer ≥ 0)`);
  }
  const parsed = parseTicket(typeof count === 'number' ? { ...raw, returns: undefined } : input, source);
  const data = parsed.fields as Record<string, unknown> & { milestones?: Record<string, string | null> | null };
  const milestones: Partial<Record<Milestone, string>> = {};
  for (const m of MILESTONES) {
    const v = data.milestones?.[m];
    if (v) milestones[m] = v;
  }
  const createdAt = text(data.createdAt) ?? (milestones.created as string);
  milestones.created ??= createdAt;
  return {
    id: text(data.id) ?? text(data.no) ?? `#${index}`,
    no: text(data.no),
    state: parsed.state,
    createdAt,
    location: text(data.location),
    device: text(data.device),
    category: text(data.category),
    milestones,
    returns: typeof count === 'number' ? count : Array.isArray(data.returns) ? data.returns : 0,
    assignee: text(data.assignee),
    pool: text(data.pool),
  };
}

export function readMetricTickets(path: string): MetricTicket[] {
  const data = readJson(path, 'tickets');
  const name = basename(path);
  if (!Array.isArray(data)) throw new UsageError(`${name}: expected a JSON array of tickets`);
  return data.map((item, i) => toMetricTicket(item, `${name}[${i}]`, i));
}

function readConfig(pack: string | undefined): MetricsConfig {
  if (pack === undefined) return metricsConfig();
  const compiled = loadPackFile(pack);
  return metricsConfig(compiled.zone, compiled.breakpoints);
}

function readPeriod(from: string | undefined, to: string | undefined, prefix = ''): Period {
  const period = { from: requireOption(from, `${prefix}from`), to: requireOption(to, `${prefix}to`) };
  try {
    periodDays(period);
  } catch (error) {
    if (error instanceof PeriodError) throw new UsageError(`--${prefix}${error.message}`);
    throw error;
  }
  return period;
}

function command(values: Record<string, string | boolean | undefined>): string {
  const str = (k: string): string | undefined => values[k] as string | undefined;
  const period = readPeriod(str('from'), str('to'));
  const now = readNow(str('now'));
  const hasBaseline = str('baseline-from') !== undefined || str('baseline-to') !== undefined;
  const baseline = hasBaseline ? readPeriod(str('baseline-from'), str('baseline-to'), 'baseline-') : null;
  const config = readConfig(str('pack'));
  const tickets = readMetricTickets(requireOption(str('tickets'), 'tickets'));
  const result = computeMetrics(tickets, period, now, config);
  if (!baseline) return `${JSON.stringify(result, null, 2)}\n`;
  const before = computeMetrics(tickets, baseline, now, config);
  return `${JSON.stringify({
    ...result,
    baseline: { period: before.period, breakpoints: before.breakpoints },
    breakpointEliminationRate: breakpointEliminationRate(before.breakpoints, result.breakpoints),
  }, null, 2)}\n`;
}

const isUserError = (e: unknown): boolean =>
  e instanceof UsageError || e instanceof PackError || e instanceof TicketError || e instanceof PeriodError;

export function runMetrics(argv: readonly string[]): RunResult {
  try {
    const { values, positionals } = parseArgs({ args: [...argv], options: OPTIONS, strict: true, allowPositionals: true });
    if (values.help) return { code: 0, stdout: `${USAGE}\n`, stderr: '' };
    if (positionals.length) throw new UsageError(`unexpected argument "${positionals[0]}"`);
    return { code: 0, stdout: command(values), stderr: '' };
  } catch (error) {
    if (isUserError(error)) return { code: 2, stdout: '', stderr: `metrics: ${(error as Error).message}\n${USAGE}\n` };
    const code = (error as { code?: unknown }).code;
    if (typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS')) return { code: 2, stdout: '', stderr: `metrics: ${(error as Error).message}\n${USAGE}\n` };
    return { code: 1, stdout: '', stderr: `metrics: internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n` };
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const result = runMetrics(process.argv.slice(2));
  if (result.stdout) process.stdout.write(result.stdout);
  if (result.stderr) process.stderr.write(result.stderr);
  process.exitCode = result.code;
}
