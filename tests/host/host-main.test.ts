import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { completeForm } from './forms';

/** `npm run host` as a process: options, the printed address, the injected clock, SIGTERM. */
const dirs: string[] = [];
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

describe('the host entry point', () => {
  it('serves on the printed address with the --now clock and stops cleanly on SIGTERM', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'closeloop-hostmain-'));
    dirs.push(dataDir);
    const child = spawn(process.execPath, ['--import', 'tsx', 'electron/host/main.ts', '--data', dataDir, '--port', '0', '--seat', 'AB', '--demo', '20', '--now', '2026-03-02T09:00:00+08:00'], { cwd: process.cwd() });
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString('utf8')));
    child.stderr.on('data', (c: Buffer) => (out += c.toString('utf8')));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no address printed:\n${out}`)), 45_000);
      const check = () => {
        const m = /Closeloop 控制台: (http:\/\/127\.0\.0\.1:\d+\/)\nREST 令牌: .+\n/.exec(out);
        if (m?.[1]) {
          clearTimeout(timer);
          resolve(m[1]);
        }
      };
      child.stdout.on('data', check);
      void exited.then(() => reject(new Error(`host exited:\n${out}`)));
    });
    expect(out).toContain(`REST 令牌: ${join(dataDir, 'api-token')}`);
    const token = (await readFile(join(dataDir, 'api-token'), 'utf8')).trim();
    const auth = { authorization: `Bearer ${token}` };

    const list = (await (await fetch(`${url}api/tickets?limit=1`, { headers: auth })).json()) as { total: number };
    expect(list.total).toBe(20);
    const created = await fetch(`${url}api/tickets`, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json', 'x-closeloop-user': 'li.na' },
      body: JSON.stringify({ form: completeForm() }),
    });
    expect(created.status).toBe(201);
    const { ticket } = (await created.json()) as { ticket: { no: string; createdAt: string } };
    expect(Math.abs(Date.parse(ticket.createdAt) - Date.parse('2026-03-02T01:00:00Z'))).toBeLessThan(60_000);
    expect(ticket.no).toMatch(/^MX20260302-AB\d{3}$/);

    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(out).toContain('SIGTERM');
  }, 90_000);
});
