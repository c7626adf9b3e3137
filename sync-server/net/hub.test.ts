import { describe, expect, it } from 'vitest';
import { decodeFrame } from '../protocol';
import type { LogEntry } from '../storage/types';
import { Hub, type RelayTicket, type Subscriber } from './hub';

/** A connection as the hub sees it: what it was sent, and whether it is live on the site. */
class FakeSeat implements Subscriber {
  readonly sites = new Set(['s1']);
  readonly got: { how: 'deliver' | 'relay'; seq: number | undefined; hashes: string[] }[] = [];
  constructor(
    readonly seatId: string,
    public live = true,
  ) {}
  private take(how: 'deliver' | 'relay', frame: Uint8Array): void {
    const m = decodeFrame(frame) as { seq?: number; tickets: { changes: Uint8Array[] }[] };
    this.got.push({ how, seq: m.seq, hashes: m.tickets.flatMap((t) => t.changes.map((c) => new TextDecoder().decode(c))) });
  }
  deliver(_site: string, frame: Uint8Array): void {
    if (this.live) this.take('deliver', frame);
  }
  relay(_site: string, frame: Uint8Array): boolean {
    if (!this.live) return false;
    this.take('relay', frame);
    return true;
  }
}

const bytes = (hash: string) => new TextEncoder().encode(hash);
const entry = (seq: number, hash: string, seat: string): LogEntry => ({ site: 's1', seq, ticketId: 't1', hash, change: bytes(hash), seat, row: null });
const relayed = (hash: string): RelayTicket => ({ id: 't1', site: 's1', changes: [{ hash, bytes: bytes(hash) }], row: null });

describe('hub: edits relayed before their commit', () => {
  it('sends a relayed edit once, with the last durable sequence as its cursor, and skips it at the commit', () => {
    const hub = new Hub();
    const [a, b, c] = [new FakeSeat('A'), new FakeSeat('B'), new FakeSeat('C')];
    for (const s of [a, b, c]) hub.add(s);
    hub.publish([entry(7, 'h7', 'A')]);
    hub.relay('A', [relayed('h8')]);
    hub.publish([entry(8, 'h8', 'A')]);
    hub.settle([relayed('h8')]);
    for (const s of [b, c]) expect(s.got).toEqual([{ how: 'deliver', seq: 7, hashes: ['h7'] }, { how: 'relay', seq: 7, hashes: ['h8'] }]);
    expect(a.got).toEqual([]);
  });

  it('leaves a connection that is still catching up to the commit’s fan-out', () => {
    const hub = new Hub();
    const late = new FakeSeat('B', false);
    hub.add(late);
    hub.relay('A', [relayed('h1')]);
    late.live = true; // caught up before the commit landed
    hub.publish([entry(1, 'h1', 'A')]);
    expect(late.got).toEqual([{ how: 'deliver', seq: 1, hashes: ['h1'] }]);
  });

  it('sends the rest of a commit (a new ticket) to a connection that had its edits relayed', () => {
    const hub = new Hub();
    const b = new FakeSeat('B');
    hub.add(b);
    hub.relay('A', [relayed('edit')]);
    hub.publish([entry(1, 'edit', 'A'), { ...entry(2, 'new', 'A'), ticketId: 't2' }]);
    expect(b.got.map((g) => [g.how, g.hashes])).toEqual([['relay', ['edit']], ['deliver', ['new']]]);
  });

  it('forgets a relay whose commit failed: the pushed-again changes reach everyone', () => {
    const hub = new Hub();
    const b = new FakeSeat('B');
    hub.add(b);
    hub.relay('A', [relayed('h1')]);
    hub.settle([relayed('h1')]); // the commit threw; the seat pushes again
    hub.publish([entry(1, 'h1', 'A')]);
    expect(b.got.map((g) => g.how)).toEqual(['relay', 'deliver']);
  });
});
