import * as A from '@automerge/automerge';
import { describe, expect, it } from 'vitest';
import { ChangeFormatError, changeMeta, headsOf } from './change-meta';
import { digestOf, DigestIndex } from './digest';

describe('change metadata from the chunk header', () => {
  it('reads the same hash and dependencies as Automerge', () => {
    let doc = A.from<Record<string, unknown>>({ title: 'x', tags: [] });
    doc = A.change(doc, (d) => void (d.title = 'y'.repeat(2_000)));
    doc = A.change(doc, (d) => void (d.tags as string[]).push('a'));
    const changes = A.getAllChanges(doc);
    for (const c of changes) {
      const d = A.decodeChange(c);
      expect(changeMeta(c)).toEqual({ hash: d.hash, deps: d.deps });
    }
    expect(headsOf(changes.map(changeMeta))).toEqual(A.getHeads(doc));
  });

  it('refuses bytes that are not a change, or whose checksum is wrong', () => {
    const c = A.getAllChanges(A.from({ a: 1 }))[0]!;
    const bad = c.slice();
    bad[bad.length - 1] = bad[bad.length - 1]! ^ 1;
    expect(() => changeMeta(bad)).toThrow(ChangeFormatError);
    expect(() => changeMeta(A.save(A.from({ a: 1 })))).toThrow(/not a change/);
    expect(() => changeMeta(new Uint8Array(3))).toThrow(ChangeFormatError);
  });
});

describe('anti-entropy digests', () => {
  it('update incrementally to what a full recount gives', () => {
    const idx = new DigestIndex();
    idx.update('t1', null, ['aa']);
    idx.update('t2', null, ['bb']);
    idx.update('t1', ['aa'], ['cc', 'dd']);
    expect(idx.hex()).toEqual(digestOf([{ id: 't1', heads: ['dd', 'cc'] }, { id: 't2', heads: ['bb'] }]));
    expect(idx.hex()).not.toEqual(digestOf([{ id: 't1', heads: ['aa'] }, { id: 't2', heads: ['bb'] }]));
  });
});
