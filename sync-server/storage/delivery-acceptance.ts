import { expect, it } from 'vitest';
import type { DeliveryRecord } from './delivery-types';
import type { SyncStorage } from './types';

/** Acceptance cases for connector deliveries (DeliveryStorage), run inside runSyncStorageTests. */
const AT = '2026-02-18T14:10:00.000Z';

export function delivery(id: string, over: Partial<DeliveryRecord> = {}): DeliveryRecord {
  return {
    id, ticket: 't-1', site: 'mx-plant', no: 'MX20260218-0001', key: `night-bearing@v1/created/${AT}/notify/sms/${id}`, channel: 'sms', connector: 'sms',
    to: 'lin.chief', vars: { text: '工单' }, seenHeads: [], state: 'queued', outcome: null, attempts: 0, nextAt: 1_000, owner: null, leaseUntil: null,
    lastError: null, createdAt: AT, updatedAt: AT, sentAt: null, reportPending: false, reportError: null, version: 0, ...over,
  };
}

export function runDeliveryCases(storage: () => SyncStorage, reopen: () => Promise<SyncStorage>, caps: { multiInstance: boolean; peer?: () => Promise<SyncStorage> }): void {
  it('adds a delivery once per key, whoever offers it again', async () => {
    const s = storage();
    expect(await s.addDeliveries([delivery('d1'), delivery('d2'), delivery('d1')])).toEqual(['d1', 'd2']);
    expect(await s.addDeliveries([delivery('d1', { to: 'someone.else' }), delivery('d3')])).toEqual(['d3']);
    expect((await s.getDelivery('d1'))?.to).toBe('lin.chief');
    expect(await s.getDelivery('nope')).toBeNull();
  });

  it('claims due deliveries once, in due order, and durably', async () => {
    let s = storage();
    await s.addDeliveries([delivery('late', { nextAt: 5_000 }), delivery('b', { nextAt: 2_000 }), delivery('a', { nextAt: 1_000 })]);
    const [first, second] = await Promise.all([s.claimDeliveries('i1', 3_000, 60_000, 10), s.claimDeliveries('i2', 3_000, 60_000, 10)]);
    const claimed = [...first!, ...second!];
    expect(claimed.map((d) => d.id).sort()).toEqual(['a', 'b']);
    expect(claimed.every((d) => d.state === 'sending' && d.attempts === 1 && d.leaseUntil === 63_000)).toBe(true);
    s = await reopen();
    expect((await s.getDelivery('a'))?.state).toBe('sending');
    expect((await s.listDeliveries({ state: 'sending', limit: 10 })).map((d) => d.id).sort()).toEqual(['a', 'b']);
    expect(await s.claimDeliveries('i1', 4_000, 60_000, 10)).toEqual([]);
    expect((await s.claimDeliveries('i1', 5_000, 60_000, 10)).map((d) => d.id)).toEqual(['late']);
  });

  it('changes a delivery only from the version it read', async () => {
    const s = storage();
    await s.addDeliveries([delivery('d1')]);
    const d = (await s.getDelivery('d1'))!;
    expect(await s.putDelivery({ ...d, state: 'sent', reportPending: true }, d.version)).toBe(true);
    expect(await s.putDelivery({ ...d, state: 'dead', outcome: 'failed' }, d.version)).toBe(false);
    const now = (await s.getDelivery('d1'))!;
    expect([now.state, now.version]).toEqual(['sent', d.version + 1]);
    expect((await s.listDeliveries({ reportPending: true, limit: 10 })).map((x) => x.id)).toEqual(['d1']);
    expect(await s.putDelivery({ ...now, reportPending: false }, now.version)).toBe(true);
    expect(await s.listDeliveries({ reportPending: true, limit: 10 })).toEqual([]);
    // a sent delivery is no longer due
    expect(await s.claimDeliveries('i1', 10_000, 1_000, 10)).toEqual([]);
  });

  it('lists deliveries by state and ticket and counts them', async () => {
    const s = storage();
    await s.addDeliveries([
      delivery('q1'), delivery('x1', { state: 'dead', outcome: 'unknown', updatedAt: '2026-02-18T15:00:00.000Z' }),
      delivery('x2', { state: 'dead', outcome: 'failed', ticket: 't-2', updatedAt: '2026-02-18T16:00:00.000Z' }), delivery('s1', { state: 'sent' }),
    ]);
    expect((await s.listDeliveries({ state: 'dead', limit: 10 })).map((d) => d.id)).toEqual(['x2', 'x1']);
    expect((await s.listDeliveries({ state: 'dead', limit: 1 })).map((d) => d.id)).toEqual(['x2']);
    expect((await s.listDeliveries({ ticket: 't-2', limit: 10 })).map((d) => d.id)).toEqual(['x2']);
    expect((await s.listDeliveries({ state: 'queued', limit: 10 })).map((d) => d.id)).toEqual(['q1']);
    expect(await s.countDeliveries()).toEqual({ queued: 1, sending: 0, sent: 1, dead: 2 });
  });

  it('keeps the connectors’ log cursor per site across a restart', async () => {
    let s = storage();
    expect(await s.connectorCursor('mx-plant')).toBe(0);
    await s.setConnectorCursor('mx-plant', 42);
    s = await reopen();
    expect(await s.connectorCursor('mx-plant')).toBe(42);
    expect(await s.connectorCursor('other')).toBe(0);
  });

  if (caps.multiInstance) it('never lets two instances claim the same delivery', async () => {
    if (!caps.peer) throw new Error('a multi-instance storage harness must provide peer()');
    const s = storage();
    const other = await caps.peer();
    await s.addDeliveries(Array.from({ length: 40 }, (_, i) => delivery(`m${i}`, { nextAt: i })));
    const got: DeliveryRecord[] = [];
    await Promise.all([s, other, s, other].map(async (x, i) => {
      for (let k = 0; k < 10; k++) got.push(...(await x.claimDeliveries(`i${i}`, 1_000, 1_000, 3)));
    }));
    expect(got.map((d) => d.id).sort()).toEqual(Array.from({ length: 40 }, (_, i) => `m${i}`).sort());
    await other.close();
  });
}
