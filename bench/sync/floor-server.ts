/**
 * The fan-out floor of the sync benchmark: a bare WebSocket server that speaks just enough of the
 * feed for `SyncClient` (welcome, bootstrap, catch-up, ping) and, on command, sends one live
 * `changes` frame — a real edit of a demo ticket with its row, as the hub sends it — to every
 * connected seat. No login, no policy, no storage, no commit: what is left of an edit's way to
 * 100 seats is the sends, the loopback, and the seats' own handling, on this machine.
 * Driven over IPC by bench/sync/ours.ts; times are `clock()` as in seat-process.ts.
 */
import * as A from '@automerge/automerge';
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { WebSocketServer, type WebSocket } from 'ws';
import { DEMO_SITE, DEMO_TEMPLATE, createTicket } from '../../domain';
import { COMPLETE_SYSTEM_FORM } from '../../domain/testing/fixtures';
import { PROTOCOL_VERSION, SYNC_PATH, decodeFrame, encodeFrame, projectDoc, toAutomerge } from '../../sync-server/protocol';
import { answerCommands, type FloorCommand, type FloorReply } from './ipc';

const clock = () => performance.timeOrigin + performance.now();
const SITE = { id: DEMO_SITE.id, name: DEMO_SITE.name, prefix: DEMO_SITE.prefix, timezone: DEMO_SITE.timezone };

const docs = new Map<string, A.Doc<Record<string, unknown>>>();
const sockets = new Set<WebSocket>();
let seq = 0;

function makeTickets(count: number): string[] {
  for (let i = 0; i < count; i++) {
    const r = createTicket(COMPLETE_SYSTEM_FORM, { id: randomUUID(), no: `${DEMO_SITE.prefix}-F${i}`, site: DEMO_SITE.id, now: new Date().toISOString(), actor: { user: 'wang.fang', kind: 'agent' }, template: DEMO_TEMPLATE });
    if (!r.ok) throw new Error(r.message);
    docs.set(r.ticket.id, A.change(A.init<Record<string, unknown>>(), (d) => Object.assign(d, toAutomerge(r.ticket))));
    seq += 1;
  }
  return [...docs.keys()];
}

function onMessage(ws: WebSocket, data: Buffer): void {
  const m = decodeFrame(new Uint8Array(data.buffer, data.byteOffset, data.byteLength)) as { t: string; rid?: number; site?: string; seq?: number };
  if (m.t === 'ping') ws.send(encodeFrame({ t: 'pong', re: m.rid }));
  else if (m.t === 'since') ws.send(encodeFrame({ t: 'caughtUp', site: m.site, seq }));
  else if (m.t === 'bootstrap') {
    const tickets = [...docs].map(([id, doc]) => ({ id, snapshot: A.save(doc), changes: [], heads: A.getHeads(doc), row: projectDoc(doc) }));
    ws.send(encodeFrame({ t: 'snapshots', site: SITE.id, tickets, done: tickets.length, total: tickets.length }));
    ws.send(encodeFrame({ t: 'bootstrapped', site: SITE.id, seq }));
  }
}

function listen(): Promise<string> {
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0, path: SYNC_PATH, perMessageDeflate: false });
  wss.on('connection', (ws) => {
    sockets.add(ws);
    ws.on('close', () => sockets.delete(ws));
    ws.on('message', (data: Buffer) => onMessage(ws, data));
    ws.send(encodeFrame({ t: 'welcome', version: PROTOCOL_VERSION, seat: { id: randomUUID(), code: 'ZZ', device: 'floor' }, user: { id: 'floor', role: 'agent', sites: [SITE.id] }, sites: [SITE], serverTime: new Date().toISOString() }));
  });
  return new Promise((resolve) => wss.once('listening', () => resolve(`http://127.0.0.1:${(wss.address() as { port: number }).port}`)));
}

/** One edit as a seat makes it, encoded as the hub would; the clock starts when the sends do. */
function send(ticket: string, n: number): number {
  const before = docs.get(ticket)!;
  const heads = A.getHeads(before);
  const doc = A.change(before, (d) => {
    (d.comments as unknown[]).push(toAutomerge({ id: randomUUID(), at: new Date().toISOString(), by: 'wang.fang', text: `floor edit ${n}` }));
    d.updatedAt = toAutomerge(new Date().toISOString());
  });
  docs.set(ticket, doc);
  seq += 1;
  const frame = encodeFrame({ t: 'changes', site: SITE.id, seq, tickets: [{ id: ticket, changes: A.getChangesSince(doc, heads), row: projectDoc(doc) }] });
  const at = clock();
  for (const ws of sockets) ws.send(frame);
  return at;
}

async function handle(m: FloorCommand): Promise<FloorReply> {
  switch (m.cmd) {
    case 'start':
      return { ok: true, ids: makeTickets(m.tickets), url: await listen() };
    case 'send':
      return { ok: true, at: send(m.ticket, m.n), count: sockets.size };
  }
}

answerCommands<FloorCommand>(handle);
