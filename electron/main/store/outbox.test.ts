import * as Automerge from '@automerge/automerge';
import { describe, expect, it } from 'vitest';
import { covers, decodeChanges, encodeChanges, unacknowledged } from './outbox';

describe('outbox', () => {
  it('packs changes into one blob and back', () => {
    const changes = [new Uint8Array([1, 2, 3]), new Uint8Array([]), new Uint8Array(300).fill(7)];
    expect(decodeChanges(encodeChanges(changes))).toEqual(changes);
    expect(() => decodeChanges(new Uint8Array([0, 0, 0, 9, 1]))).toThrow('truncated');
  });

  it('keeps only the changes the acknowledged heads do not cover', () => {
    let doc = Automerge.from<{ n: number }>({ n: 0 });
    const heads: Automerge.Heads[] = [Automerge.getHeads(doc)];
    for (let i = 1; i <= 3; i++) {
      doc = Automerge.change(doc, (d) => {
        d.n = i;
      });
      heads.push(Automerge.getHeads(doc));
    }
    const all = Automerge.getAllChanges(doc);
    expect(unacknowledged(all, [])).toHaveLength(4);
    expect(unacknowledged(all, heads[1]!)).toEqual(all.slice(2));
    expect(unacknowledged(all.slice(2), heads[1]!)).toEqual(all.slice(2));
    expect(unacknowledged(all, heads[3]!)).toEqual([]);
    expect(covers(heads[3]!, Automerge.getHeads(doc))).toBe(true);
    expect(covers(heads[2]!, Automerge.getHeads(doc))).toBe(false);
  });
});
