import * as Automerge from '@automerge/automerge';
import { describe, expect, it } from 'vitest';
import { DocCache } from './doc-cache';

describe('live document cache', () => {
  it('frees the least recently used document past its size', () => {
    const freed: string[] = [];
    const cache = new DocCache<string>(2, (d) => freed.push(d));
    cache.put('a', 'A');
    cache.put('b', 'B');
    cache.get('a');
    cache.put('c', 'C');
    expect(freed).toEqual(['B']);
    expect([cache.has('a'), cache.has('b'), cache.has('c')]).toEqual([true, false, true]);
  });

  it('frees real Automerge documents it evicts, and not the ones taken out', () => {
    const cache = new DocCache<Automerge.Doc<{ n: number }>>(1);
    const first = Automerge.from({ n: 1 });
    const second = Automerge.from({ n: 2 });
    cache.put('1', first);
    const taken = cache.take('1')!;
    cache.put('2', second);
    expect(taken.n).toBe(1); // taken out: still usable
    cache.put('1', taken);
    expect(() => Automerge.getHeads(second)).toThrow(); // evicted: freed
    expect(cache.size).toBe(1);
    cache.clear();
    expect(() => Automerge.getHeads(taken)).toThrow();
  });

  it('frees a document it replaces with another copy', () => {
    const freed: string[] = [];
    const cache = new DocCache<string>(5, (d) => freed.push(d));
    cache.put('a', 'old');
    cache.put('a', 'new');
    cache.put('a', 'new');
    expect(freed).toEqual(['old']);
    expect(() => new DocCache(0)).toThrow(RangeError);
  });
});
