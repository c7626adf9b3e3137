import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer } from 'node:net';
import { newTicket } from '../../../domain/testing/fixtures';
import type { Ticket } from '../../../domain';
import { builtinCalendars } from '../../../rules/node/load';
import { TicketHistory, parsePack } from '../../../rules';
import { planOutcome, type RunEvent } from '../../../electron/main/rules/outcome';
import { packViews, type PackViews } from '../../../electron/main/rules/pack-views';
import { fromTicket } from '../../../electron/main/rules/rule-ticket';
import { ROOT, startServer, type ServerProcess } from '../../sync/helpers/server-process';
import type { TestSeat } from '../../sync/helpers/seat';

/** The seed pack's rules as a seat runs them (electron/main/rules), for tests that need real outbox entries. */
export function seedViews(): PackViews {
  const text = readFileSync(join(ROOT, 'rules', 'packs', 'seed.yaml'), 'utf8');
  return packViews(parsePack(text, { file: 'seed.yaml', calendars: builtinCalendars() }));
}

/** Runs the rules for `events` on a seat's ticket and writes the outcome as the seat would. */
export function runRules(seat: TestSeat, views: PackViews, id: string, events: RunEvent[], now: number, history: Ticket[] = []): Ticket {
  const before = seat.replica.ticket(id)!;
  const plan = planOutcome({ views, ticket: before, events, now, history: new TicketHistory(history.map(fromTicket)), seat: seat.code });
  if (plan.changed) seat.write(id, before, plan.ticket, plan.rewrite);
  return plan.ticket;
}

/** A past ticket of a device (for the count and repair-record rules). */
export function pastTicket(device: string, at: string, over: Partial<Ticket> = {}): Ticket {
  return newTicket({ id: randomUUID(), no: `MX-PAST-${Math.random().toString(36).slice(2, 8)}`, device, category: '硬件', createdAt: at, updatedAt: at, stateEnteredAt: at, milestones: { created: at }, ...over });
}

export interface ConnectorServer {
  server: ServerProcess;
  file: string;
  dir: string;
  stop(): Promise<void>;
}

/** Writes the connectors file and starts the real server with `--connectors`. */
export async function startWithConnectors(yaml: string, opts: { demo?: number; data?: string; args?: string[] } = {}): Promise<ConnectorServer> {
  const dir = mkdtempSync(join(tmpdir(), 'closeloop-connectors-'));
  const file = join(dir, 'connectors.yaml');
  writeFileSync(file, yaml);
  const server = await startServer({ demo: opts.demo ?? 0, ...(opts.data ? { data: opts.data } : {}), args: ['--connectors', file, ...(opts.args ?? [])] });
  return { server, file, dir, stop: async () => {
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  } };
}

/** A free port on 127.0.0.1 (for the inbound webhooks). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => resolve(port));
    });
  });
}

/** Adds outbox entries to a seat's ticket the way the rules write them (apply-evaluation.ts). */
export function addOutbox(seat: TestSeat, id: string, entries: { key: string; channel: string; to: string; payload?: Record<string, unknown> }[], at = new Date().toISOString()): void {
  const before = seat.replica.ticket(id)!;
  const after = structuredClone(before);
  for (const e of entries) {
    if (e.key in after.outbox) continue;
    after.outbox[e.key] = { rule: e.key.split('@')[0]!, channel: e.channel, to: e.to, payload: e.payload ?? { ticket: id, no: before.no, title: before.title, text: `工单 ${before.no}「${before.title}」` }, createdAt: at, status: 'pending', statusAt: null };
  }
  seat.write(id, before, after);
}
