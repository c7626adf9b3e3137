import { expect, it } from 'vitest';
import type { SiteDocRecord } from './site-doc-types';
import type { SyncStorage } from './types';

/** Acceptance cases for site documents (SiteDocStorage), run inside runSyncStorageTests. */
const doc = (id: string, at: string, over: Partial<SiteDocRecord> = {}): SiteDocRecord => ({
  site: 'mx-plant', kind: 'rulebook', id, body: `version: 1\nname: ${id}\n`, meta: { note: '夜班规则调整' }, by: 'admin', at, ...over,
});

export function runSiteDocCases(storage: () => SyncStorage, reopen: () => Promise<SyncStorage>): void {
  it('keeps every version of a site document once, oldest first, across restarts', async () => {
    let s = storage();
    expect(await s.putSiteDoc(doc('v2', '2026-11-24T10:00:00.000Z'))).toBe(true);
    expect(await s.putSiteDoc(doc('v1', '2026-11-24T09:00:00.000Z'))).toBe(true);
    expect(await s.putSiteDoc(doc('v1', '2026-11-24T09:00:00.000Z', { body: 'tampered' }))).toBe(false);
    expect(await s.putSiteDoc(doc('f1', '2026-11-24T08:00:00.000Z', { kind: 'forms', body: '{}' }))).toBe(true);
    expect(await s.putSiteDoc(doc('v9', '2026-11-24T08:00:00.000Z', { site: 'other' }))).toBe(true);
    s = await reopen();
    const rulebook = await s.listSiteDocs('mx-plant', 'rulebook');
    expect(rulebook.map((d) => d.id)).toEqual(['v1', 'v2']);
    expect(rulebook[0]).toEqual(doc('v1', '2026-11-24T09:00:00.000Z'));
    expect((await s.listSiteDocs('mx-plant')).map((d) => d.id)).toEqual(['f1', 'v1', 'v2']);
    expect(await s.listSiteDocs('nowhere')).toEqual([]);
  });
}
