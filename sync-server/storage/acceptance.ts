import * as A from '@automerge/automerge';
import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { changeMeta, digestOf, type SiteRecord } from '../protocol';
import { runDeliveryCases } from './delivery-acceptance';
import { runSiteDocCases } from './site-doc-acceptance';
import { runBlobCases } from './blob-acceptance';
import { AUDIT_GENESIS, auditSeal } from './audit-chain';
import type { CommitBatch, LogEntry, NewChange, SyncStorage, UserRecord } from './types';

/**
 * The acceptance suite every SyncStorage runs (CONVENTIONS.md §3), the way automerge-repo's
 * `runStorageAdapterTests` works: an implementation's test file only says how to open it.
 */
export interface StorageHarness {
  storage: SyncStorage;
  /** Closes and opens the same data again (durability). */
  reopen(): Promise<SyncStorage>;
  /** A second instance on the same data, if the implementation supports several. */
  peer?(): Promise<SyncStorage>;
  teardown(): Promise<void>;
}

const SITE: SiteRecord = { id: 'mx-plant', name: '明湘工业园', prefix: 'MX', timezone: 'Asia/Shanghai' };
const NOW = '2026-02-18T08:00:00.000Z';

function user(id: string): UserRecord {
  return { id, name: id, role: 'dispatcher', sites: [SITE.id], password: 'scrypt$x', disabled: false, createdAt: NOW };
}

/** A ticket document and its first change, then further edits. */
export function sampleTicket(no: string, id = randomUUID()) {
  let doc = A.from<Record<string, unknown>>({ id, no, site: SITE.id, title: 'x', state: 'pending_acceptance', assignee: null });
  const first = A.getAllChanges(doc)[0]!;
  const asChange = (bytes: Uint8Array): NewChange => ({ ...changeMeta(bytes), bytes });
  return {
    id,
    created: asChange(first),
    edit(field: string, value: unknown): NewChange {
      const before = A.getHeads(doc);
      doc = A.change(doc, (d) => {
        d[field] = value;
      });
      return asChange(A.getChangesSince(doc, before)[0]!);
    },
    heads: () => A.getHeads(doc),
  };
}

function batch(seat: string, tickets: { id: string; no?: string; changes: NewChange[]; basedOn?: string[] }[]): CommitBatch {
  return {
    seat,
    tickets: tickets.map((t) => ({ id: t.id, site: SITE.id, changes: t.changes, row: null, basedOn: t.basedOn ?? [], ...(t.no ? { no: t.no } : {}) })),
    audit: tickets.map((t) => ({ at: NOW, kind: 'accept', seat, ticket: t.id, hashes: t.changes.map((c) => c.hash) })),
  };
}

/**
 * `multiInstance`: the storage serves several server instances on the same data (PostgreSQL); the
 * fan-out case is registered only for such storage, so no implementation skips a test at run time.
 */
export function runSyncStorageTests(name: string, setup: () => Promise<StorageHarness>, caps: { multiInstance: boolean }): void {
  describe(`SyncStorage acceptance: ${name}`, () => {
    let h: StorageHarness;
    let s: SyncStorage;
    beforeEach(async () => {
      h = await setup();
      s = h.storage;
      await s.putSite(SITE);
    });
    afterEach(async () => {
      await h.teardown();
    });

    it('keeps sites and users, and allocates each seat its own two-letter code', async () => {
      await s.putUser(user('zhang.wei'));
      expect((await s.getUser('zhang.wei'))?.role).toBe('dispatcher');
      expect((await s.listSites()).map((x) => x.id)).toEqual([SITE.id]);
      const seats = [];
      for (const device of ['pc-1', 'pc-2', 'pc-3']) {
        seats.push(await s.createSeat({ id: randomUUID(), user: 'zhang.wei', device, tokenHash: device + '-hash', createdAt: NOW, lastSeen: NOW, revoked: false }));
      }
      expect(new Set(seats.map((x) => x.code)).size).toBe(3);
      expect(seats.every((x) => /^[A-Z]{2}$/.test(x.code))).toBe(true);
      expect((await s.findSeat('zhang.wei', 'pc-2'))?.id).toBe(seats[1]!.id);
      expect((await s.seatByTokenHash('pc-1-hash'))?.id).toBe(seats[0]!.id);
    });

    it('rotates a seat token and revokes a seat', async () => {
      const seat = await s.createSeat({ id: randomUUID(), user: 'u', device: 'd', tokenHash: 'old', createdAt: NOW, lastSeen: NOW, revoked: false });
      await s.updateSeat(seat.id, { tokenHash: 'new' });
      expect(await s.seatByTokenHash('old')).toBeNull();
      expect((await s.seatByTokenHash('new'))?.id).toBe(seat.id);
      await s.updateSeat(seat.id, { revoked: true });
      expect((await s.seatByTokenHash('new'))?.revoked).toBe(true);
      expect(await s.findSeat('u', 'd')).toBeNull();
    });

    it('appends to a per-site log with increasing sequence numbers and reads after a cursor', async () => {
      const a = sampleTicket('MX20260218-0001');
      const b = sampleTicket('MX20260218-0002');
      await s.commit(batch('seat-1', [{ id: a.id, no: 'MX20260218-0001', changes: [a.created] }]));
      const e1 = a.edit('title', 'y');
      await s.commit(batch('seat-1', [{ id: a.id, changes: [e1], basedOn: [a.created.hash] }, { id: b.id, no: 'MX20260218-0002', changes: [b.created] }]));
      expect(await s.lastSeq(SITE.id)).toBe(3);
      const log = await s.readLog(SITE.id, 1, 10);
      expect(log.map((e) => [e.seq, e.hash])).toEqual([[2, e1.hash], [3, b.created.hash]]);
      expect(Buffer.from(log[0]!.change).equals(Buffer.from(e1.bytes))).toBe(true);
      expect(await s.readLog(SITE.id, 3, 10)).toEqual([]);
    });

    it('tracks heads and the anti-entropy digest of every ticket', async () => {
      const a = sampleTicket('MX20260218-0003');
      await s.commit(batch('seat-1', [{ id: a.id, no: 'MX20260218-0003', changes: [a.created] }]));
      const e1 = a.edit('assignee', 'lin.chief');
      const res = await s.commit(batch('seat-1', [{ id: a.id, changes: [e1], basedOn: [a.created.hash] }]));
      expect(res.tickets[0]).toEqual({ id: a.id, heads: a.heads(), merged: false });
      expect(await s.digest(SITE.id)).toEqual(digestOf([{ id: a.id, heads: a.heads() }]));
      const all = await s.bucketHeads(SITE.id, Array.from({ length: 256 }, (_, i) => i));
      expect(all).toEqual([{ id: a.id, heads: a.heads() }]);
    });

    it('loads a ticket as snapshot plus tail, and compaction drops the tail it covers', async () => {
      const a = sampleTicket('MX20260218-0004');
      await s.commit(batch('seat-1', [{ id: a.id, no: 'MX20260218-0004', changes: [a.created] }]));
      const e1 = a.edit('title', 'second');
      await s.commit(batch('seat-1', [{ id: a.id, changes: [e1], basedOn: [a.created.hash] }]));
      let t = (await s.loadTicket(a.id))!;
      expect(t.tail.map((x) => x.seq)).toEqual([1, 2]);
      const doc = A.load(A.save(A.applyChanges(A.init(), t.tail.map((x) => x.change))[0]));
      await s.writeSnapshot(a.id, A.save(doc), 1, null);
      t = (await s.loadTicket(a.id))!;
      expect(t.snapshot).not.toBeNull();
      expect(t.tail.map((x) => x.seq)).toEqual([2]);
      expect(t.heads).toEqual(a.heads());
      expect(await s.loadTicket('no-such-ticket')).toBeNull();
      const both = await s.loadTickets([a.id, 'no-such-ticket']);
      expect([...both.keys()]).toEqual([a.id]);
      expect(both.get(a.id)!.tail.map((x) => x.seq)).toEqual([2]);
    });

    it('goes on counting a ticket’s tail after compaction, and a refused commit changes nothing', async () => {
      const a = sampleTicket('MX20260218-0005');
      const taken = sampleTicket('MX20260218-0005');
      await s.commit(batch('seat-1', [{ id: a.id, no: 'MX20260218-0005', changes: [a.created] }]));
      const e1 = a.edit('title', 'second');
      await s.commit(batch('seat-1', [{ id: a.id, changes: [e1], basedOn: [a.created.hash] }]));
      const doc = A.applyChanges(A.init(), [a.created.bytes, e1.bytes])[0];
      await s.writeSnapshot(a.id, A.save(doc), 2, null);
      // A batch refused as a whole (the number is taken) leaves the ticket as it was.
      const e2 = a.edit('title', 'third');
      await expect(s.commit(batch('seat-1', [{ id: a.id, changes: [e2], basedOn: [e1.hash] }, { id: taken.id, no: 'MX20260218-0005', changes: [taken.created] }]))).rejects.toThrow();
      expect((await s.loadTicket(a.id))!.heads).toEqual([e1.hash]);
      const res = await s.commit(batch('seat-1', [{ id: a.id, changes: [e2], basedOn: [e1.hash] }]));
      expect(res.tickets).toEqual([{ id: a.id, heads: a.heads(), merged: false }]);
      const t = (await s.loadTicket(a.id))!;
      expect(t.snapshot).not.toBeNull();
      expect(t.tail.map((x) => x.seq)).toEqual([3]);
      expect(t.heads).toEqual(a.heads());
      expect(await s.loadTicket(taken.id)).toBeNull();
    });

    it('pages through a site’s tickets by id and counts them', async () => {
      const ts = Array.from({ length: 7 }, (_, i) => sampleTicket(`MX20260218-${String(10 + i).padStart(4, '0')}`));
      await s.commit(batch('seat-1', ts.map((t, i) => ({ id: t.id, no: `MX20260218-${String(10 + i).padStart(4, '0')}`, changes: [t.created] }))));
      const seen: string[] = [];
      let after: string | null = null;
      for (;;) {
        const page = await s.readTickets(SITE.id, after, 3);
        if (page.length === 0) break;
        for (const t of page) expect(t.tail.length).toBe(1);
        seen.push(...page.map((t) => t.id));
        after = page[page.length - 1]!.id;
      }
      expect(seen).toEqual(ts.map((t) => t.id).sort());
      expect(await s.countTickets(SITE.id)).toBe(7);
    });

    it('refuses a ticket number that another ticket holds', async () => {
      const a = sampleTicket('MX20260218-0020');
      const b = sampleTicket('MX20260218-0020');
      await s.commit(batch('seat-1', [{ id: a.id, no: 'MX20260218-0020', changes: [a.created] }]));
      await expect(s.commit(batch('seat-2', [{ id: b.id, no: 'MX20260218-0020', changes: [b.created] }]))).rejects.toThrow();
      expect(await s.ticketIdsByNo(SITE.id, ['MX20260218-0020', 'MX20260218-0021'])).toEqual(new Map([['MX20260218-0020', a.id]]));
      expect(await s.loadTicket(b.id)).toBeNull();
    });

    it('leases disjoint blocks of numbers even when asked concurrently', async () => {
      const blocks = await Promise.all(Array.from({ length: 12 }, (_, i) => s.lease(SITE.id, '20260218', 5, `seat-${i % 3}`)));
      const numbers = blocks.flatMap((b) => Array.from({ length: b.to - b.from + 1 }, (_, i) => b.from + i));
      expect(new Set(numbers).size).toBe(60);
      const recorded = await s.leaseBlocks(SITE.id, '20260218');
      expect(recorded).toHaveLength(12);
      expect(recorded.find((b) => b.from === blocks[4]!.from)).toEqual({ ...blocks[4], seat: 'seat-1' });
      await s.raiseLeaseFloor(SITE.id, '20260219', 200);
      expect((await s.lease(SITE.id, '20260219', 1, 'seat-0')).from).toBe(200);
    });

    it('appends audit lines in order', async () => {
      await s.appendAudit([{ at: NOW, kind: 'login', user: 'a' }, { at: NOW, kind: 'auth_failed', reason: 'x' }]);
      await s.appendAudit([{ at: NOW, kind: 'seat_revoked', seat: 's' }]);
      const lines = await s.readAudit(0, 10);
      expect(lines.map((l) => l.line.kind)).toEqual(['login', 'auth_failed', 'seat_revoked']);
      expect(lines.map((l) => l.id)).toEqual([...lines.map((l) => l.id)].sort((x, y) => x - y));
    });

    it('tells listeners about appended entries in sequence order', async () => {
      const got: LogEntry[] = [];
      const off = s.onAppend((e) => got.push(...e));
      const ts = [sampleTicket('MX20260218-0030'), sampleTicket('MX20260218-0031')];
      for (const [i, t] of ts.entries()) await s.commit(batch('seat-1', [{ id: t.id, no: `MX20260218-003${i}`, changes: [t.created] }]));
      await expect.poll(() => got.length, { timeout: 5_000 }).toBe(2);
      expect(got.map((e) => e.seq)).toEqual([1, 2]);
      off();
    });

    it('keeps everything across a restart', async () => {
      const a = sampleTicket('MX20260218-0040');
      await s.commit(batch('seat-1', [{ id: a.id, no: 'MX20260218-0040', changes: [a.created] }]));
      await s.lease(SITE.id, '20260218', 10, 'seat-1');
      s = await h.reopen();
      expect((await s.loadTicket(a.id))?.heads).toEqual(a.heads());
      expect(await s.lastSeq(SITE.id)).toBe(1);
      expect((await s.lease(SITE.id, '20260218', 1, 'seat-1')).from).toBe(11);
      expect(await s.digest(SITE.id)).toEqual(digestOf([{ id: a.id, heads: a.heads() }]));
    });

    it('seals audit lines into one hash chain, across commits and restarts', async () => {
      await s.appendAudit([{ at: NOW, kind: 'login', user: 'a' }]);
      const a = sampleTicket('MX20260218-0060');
      await s.commit(batch('seat-1', [{ id: a.id, no: 'MX20260218-0060', changes: [a.created] }]));
      s = await h.reopen();
      await s.appendAudit([{ at: NOW, kind: 'seat_revoked', seat: 's', detail: { by: 'admin-cli', n: 1 } }]);
      const lines = await s.readAudit(0, 10);
      expect(lines.map((l) => l.line.kind)).toEqual(['login', 'accept', 'seat_revoked']);
      let prev = AUDIT_GENESIS;
      for (const { line } of lines) {
        expect(line.seal).toBe(auditSeal(prev, line));
        prev = line.seal!;
      }
    });

    it('reads a backup from one consistent snapshot while commits go on', async () => {
      const a = sampleTicket('MX20260218-0070');
      await s.commit(batch('seat-1', [{ id: a.id, no: 'MX20260218-0070', changes: [a.created] }]));
      const it = s.backupRecords()[Symbol.asyncIterator]();
      const first = await it.next();
      const b = sampleTicket('MX20260218-0071');
      await s.commit(batch('seat-1', [{ id: b.id, no: 'MX20260218-0071', changes: [b.created] }]));
      const records = [...(first.done ? [] : first.value)];
      for (let r = await it.next(); !r.done; r = await it.next()) records.push(...r.value);
      const text = records.map((r) => Buffer.from(r).toString('latin1')).join('\n');
      expect(text).toContain(a.id);
      expect(text).not.toContain(b.id);
    });

    if (caps.multiInstance) it('fans entries out to a second instance on the same data', async () => {
      if (!h.peer) throw new Error(`${name}: a multi-instance storage harness must provide peer()`);
      const other = await h.peer();
      const got: LogEntry[] = [];
      other.onAppend((e) => got.push(...e));
      const a = sampleTicket('MX20260218-0050');
      await s.commit(batch('seat-1', [{ id: a.id, no: 'MX20260218-0050', changes: [a.created] }]));
      await expect.poll(() => got.map((e) => e.hash), { timeout: 5_000 }).toEqual([a.created.hash]);
      // a concurrent change made on the other instance merges into the heads
      const b1 = a.edit('title', 'from instance 2');
      const res = await other.commit(batch('seat-2', [{ id: a.id, changes: [b1], basedOn: [a.created.hash] }]));
      expect(res.tickets[0]!.heads).toEqual(a.heads());
      await other.close();
    });

    runDeliveryCases(() => s, async () => (s = await h.reopen()), { multiInstance: caps.multiInstance, peer: () => h.peer!() });
    runSiteDocCases(() => s, async () => (s = await h.reopen()));
    runBlobCases(() => s, async () => (s = await h.reopen()));
  });
}
