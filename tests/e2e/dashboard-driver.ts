import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Download, Page } from 'playwright-core';
import type { TicketRow } from '../../domain';
import { metricsConfig, type MetricsConfig } from '../../domain/metrics';
import { loadPackFile } from '../../rules/node/load';
import { ROOT } from './harness';
import { tid } from './console-driver';

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
 * when the seat is online or has synced before — states the node cannot reach until sync is wired.
 */
export async function simulateSync(page: Page, state: { online: boolean; lastSyncAt: string | null }): Promise<void> {
  const replacement = `"online":${state.online},"lastSyncAt":${state.lastSyncAt === null ? 'null' : JSON.stringify(state.lastSyncAt)}`;
  await page.routeWebSocket(/\/ws$/, (ws) => {
    const server = ws.connectToServer();
    ws.onMessage((m) => server.send(m));
    server.onMessage((m) => ws.send(typeof m === 'string' ? m.replaceAll('"online":false,"lastSyncAt":null', replacement) : m));
  });
}
