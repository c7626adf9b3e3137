import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';
import { openPouchTicketStore } from '../../electron/main/store';
import { change, makeTicket } from '../../electron/main/store/test-tickets';

const writer = fileURLToPath(new URL('./kill9-writer.ts', import.meta.url));
const root = fileURLToPath(new URL('../..', import.meta.url));

/** Runs the writer until it has acknowledged `acks` writes, then kill -9s it mid-write. */
function writeThenKill(dataDir: string, acks: number): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', writer, dataDir], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    const lines: string[] = [];
    let buffered = '';
    let stderr = '';
    let killed = false;
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      buffered += chunk;
      const parts = buffered.split('\n');
      buffered = parts.pop() ?? '';
      lines.push(...parts.filter((l) => l !== ''));
      if (!killed && lines.filter((l) => l.startsWith('ACK')).length >= acks) {
        killed = true;
        child.kill('SIGKILL');
      }
    });
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('exit', (_code, signal) => {
      if (signal === 'SIGKILL') resolve(lines);
      else reject(new Error(`writer ended without being killed: ${stderr}`));
    });
  });
}

it('keeps every acknowledged write when the seat is killed mid-batch (kill -9)', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'closeloop-kill9-'));
  try {
    // Twice: the second run starts from what the first one left, with a checkpoint behind it.
    let lines = await writeThenKill(dataDir, 60);
    lines = [...lines, ...(await writeThenKill(dataDir, 25))];
    const store = await openPouchTicketStore({ dataDir, seat: 'KL' });
    const acked = new Map<string, number>();
    for (const l of lines.filter((l) => l.startsWith('ACK '))) {
      const [, n, id] = l.split(' ');
      acked.set(id!, Number(n));
    }
    expect(acked.size).toBeGreaterThanOrEqual(60);
    for (const [id, n] of acked) {
      expect(store.row(id)?.title).toBe(`断电测试 #${n}`);
      expect((await store.read(id))?.title).toBe(`断电测试 #${n}`);
    }
    const lastAssignee = new Map<string, string>();
    for (const l of lines.filter((l) => l.startsWith('UPD '))) {
      const [, , id, who] = l.split(' ');
      lastAssignee.set(id!, who!);
    }
    for (const [id, who] of lastAssignee) {
      expect(store.row(id)?.assignee).toBe(who);
      expect((await store.read(id))?.assignee).toBe(who);
    }
    // Opens cleanly: rows agree with documents, the outbox with the rows, and writing works.
    expect(store.count()).toBeGreaterThanOrEqual(acked.size);
    const outbox = await store.pendingChanges();
    expect(outbox.reduce((n, e) => n + e.changes.length, 0)).toBe(store.pendingCount());
    for (const id of [...acked.keys()].slice(0, 10)) {
      const doc = await store.read(id);
      expect(store.row(id)?.state).toBe(doc?.state);
    }
    await store.create(makeTicket(500_000), change('create'));
    await store.close();
    const again = await openPouchTicketStore({ dataDir, seat: 'KL' });
    expect(again.count()).toBe(store.count());
    await again.close();
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}, 120_000);
