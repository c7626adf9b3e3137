import { describe, expect, it } from 'vitest';
import { DEMO_TEMPLATE } from '../../domain';
import type { SiteDocRecord } from '../storage/site-doc-types';
import { siteTemplate } from './inbound';

const version = (n: number, name: string): SiteDocRecord => ({
  site: 'mx-plant', kind: 'forms', id: `v${n}`, by: 'admin', at: `2026-11-2${n}T09:00:00.000Z`, meta: {},
  body: JSON.stringify({ version: n, template: { ...DEMO_TEMPLATE, version: n, name }, publishedBy: 'admin', publishedAt: null, seat: 'AA', note: null }),
});

describe('the form inbound tickets are checked against', () => {
  it('is the newest published version of the site, else the built-in form', async () => {
    const store = (docs: SiteDocRecord[]) => ({ listSiteDocs: async () => docs });
    expect(await siteTemplate(store([]), 'mx-plant')).toBe(DEMO_TEMPLATE);
    expect((await siteTemplate(store([version(3, '第三版'), version(2, '第二版')]), 'mx-plant')).name).toBe('第三版');
    expect((await siteTemplate(store([{ ...version(4, 'x'), body: '{' }, version(2, '第二版')]), 'mx-plant')).name).toBe('第二版');
  });
});
