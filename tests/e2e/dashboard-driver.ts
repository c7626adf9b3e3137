import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Download, Page } from 'playwright-core';
import type { TicketRow } from '../../domain';
import { computeMetrics, metricsConfig, waitingForResponse, type MetricsConfig, type Period } from '../../domain/metrics';
import { COMPLETE_SYSTEM_FORM } from '../../domain/testing/fixtures';
import type { NodeStatus } from '../../electron/contract/ipc';
import { loadPackFile } from '../../rules/node/load';
import { ROOT } from './harness';
import { shot, tid } from './console-driver';

/** What the supervisor-view tests need around the console: the node's rows, the pack, files. */

/** Every ticket row of the host, read over its REST API (the token is in the data folder). */
export async function hostRows(url: string, dataDir: string): Promise<TicketRow[]> {
  const token = readFileSync(join(dataDir, 'api-token'), 'utf8').trim();
  const rows: TicketRow[] = [];
  for (let offset = 0; ; offset += 500) {
    const res = await fetch(new URL(`/api/tickets?limit=500&offset=${offset}&sort=createdAt_asc`, url), { headers: { authorization: `Bearer ${token}` } });
    if (!res.ok) throw new Error(`GET /api/tickets: ${res.status} ${await res.text()}`);
    const page = (await res.json()) as { rows: TicketRow[]; total: number };
    rows.push(...page.rows);
    if (rows.length >= page.total || page.rows.length === 0) return rows;
  }
}

/** The metrics config of the seed pack the host runs with (rulebook version 0). */
export function seedConfig(): MetricsConfig {
  const pack = loadPackFile(join(ROOT, 'rules/packs/seed.yaml'));
  return metricsConfig(pack.zone, pack.breakpoints);
}

export const percentText = (r: number | null) => (r === null ? '—' : `${(r * 100).toFixed(1)}%`);

export async function text(page: Page, id: string): Promise<string> {
  return (await page.locator(tid(id)).innerText()).trim();
}

/** Clicks an export button and returns the downloaded file's bytes and name. */
export async function exported(page: Page, button: string): Promise<{ name: string; bytes: Buffer }> {
  const [download] = await Promise.all([page.waitForEvent('download'), page.locator(tid(button)).click()]) as [Download, void];
  const path = await download.path();
  return { name: download.suggestedFilename(), bytes: readFileSync(path) };
}

/**
 * Rewrites the node's sync state in every frame the console receives, to show how the view looks
 * when the seat is online or has synced before on a host that runs alone, on a fixed clock (the
 * real states, against the sync server, are in dashboard-sync.test.ts).
 */
export async function simulateSync(page: Page, state: { online: boolean; lastSyncAt: string | null }): Promise<void> {
  const replacement = `"online":${state.online},"lastSyncAt":${state.lastSyncAt === null ? 'null' : JSON.stringify(state.lastSyncAt)}`;
  await page.routeWebSocket(/\/ws$/, (ws) => {
    const server = ws.connectToServer();
    ws.onMessage((m) => server.send(m));
    server.onMessage((m) => ws.send(typeof m === 'string' ? m.replaceAll('"online":false,"lastSyncAt":null', replacement) : m));
  });
}

/** Signs in on a seat that syncs: the person's password is checked by the sync server (or, offline, the seat). */
export async function signInWithPassword(page: Page, person: string, password: string): Promise<void> {
  await page.locator(tid(`sign-in-${person}`)).click();
  await page.locator(tid('sign-in-password')).fill(password);
  await page.locator(tid('sign-in-submit')).click();
  await page.locator(tid('signed-in-user')).waitFor();
}

/** The node's own status (`node.status` over the contract's WebSocket, from the page's origin). */
export async function nodeStatus(page: Page): Promise<NodeStatus> {
  return page.evaluate(() => new Promise<NodeStatus>((resolve, reject) => {
    const ws = new WebSocket(new URL('/ws', location.href).href.replace(/^http/, 'ws'));
    ws.onopen = () => ws.send(JSON.stringify({ t: 'call', id: 1, name: 'node.status', input: {} }));
    ws.onerror = () => reject(new Error('node.status: the WebSocket failed'));
    ws.onmessage = (e: MessageEvent<string>) => {
      const f = JSON.parse(e.data) as { t: string; id?: number; reply?: { ok: boolean; value?: NodeStatus; error?: { message: string } } };
      if (f.t !== 'reply' || f.id !== 1) return;
      ws.close();
      if (f.reply?.ok && f.reply.value) resolve(f.reply.value);
      else reject(new Error(`node.status: ${f.reply?.error?.message ?? 'no reply'}`));
    };
  }));
}

/** Makes a ticket on a seat over its REST API, as `user` (who must be the seat's signed-in account). */
export async function createTicket(url: string, dataDir: string, user: string, title: string): Promise<{ id: string; no: string }> {
  const token = readFileSync(join(dataDir, 'api-token'), 'utf8').trim();
  const res = await fetch(new URL('/api/tickets', url), {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'x-closeloop-user': user },
    body: JSON.stringify({ form: { ...COMPLETE_SYSTEM_FORM, title } }),
  });
  if (res.status !== 201) throw new Error(`POST /api/tickets as ${user}: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { ticket: { id: string; no: string } }).ticket;
}

/** The overview's period as the toolbar shows it ("YYYY-MM-DD 至 YYYY-MM-DD · 对比上期 …"). */
export async function shownPeriod(page: Page): Promise<Period> {
  const m = /(\d{4}-\d{2}-\d{2}) 至 (\d{4}-\d{2}-\d{2})/.exec(await text(page, 'period-range'));
  if (!m) throw new Error(`no period in "${await text(page, 'period-range')}"`);
  return { from: m[1]!, to: m[2]! };
}

/** The card values domain/metrics gives for these rows, by the cards' test ids (zh-CN wording). */
export function expectedCards(rows: readonly TicketRow[], period: Period, now: number, config: MetricsConfig): Record<string, string> {
  const m = computeMetrics(rows, period, now, config);
  const top = m.topRepeatDevices[0];
  return {
    'card-waiting-value': String(waitingForResponse(rows, now, config).total),
    'card-fr2h-value': percentText(m.firstResponse2hRate),
    'card-close-value': m.avgCloseHours === null ? '—' : `${m.avgCloseHours.toFixed(1)} 小时`,
    'card-first-pass-value': percentText(m.firstPassRate),
    'card-created-value': String(m.created),
    'card-devices-value': top ? top.device : '—',
  };
}

/**
 * The cards that differ from what domain/metrics computes over the seat's rows right now (empty
 * when they all agree): for `expect.poll`, since the view refreshes a second after a change.
 */
export async function cardDifferences(page: Page, url: string, dataDir: string, config: MetricsConfig): Promise<Record<string, { shown: string; expected: string }>> {
  const rows = await hostRows(url, dataDir);
  const expected = expectedCards(rows, await shownPeriod(page), Date.now(), config);
  const out: Record<string, { shown: string; expected: string }> = {};
  for (const [id, want] of Object.entries(expected)) {
    const shown = await text(page, id);
    if (shown !== want) out[id] = { shown, expected: want };
  }
  return out;
}

/**
 * A screenshot once no CSS transition is running: on a busy machine a route change's colour
 * transitions (the header's active tab) can start late and be caught half-way by `shot`'s pause.
 */
export async function settledShot(page: Page, name: string): Promise<void> {
  await page.waitForFunction(() => document.getAnimations().every((a) => !(a instanceof CSSTransition) || a.playState !== 'running'), undefined, { timeout: 10_000 });
  await shot(page, name);
}
