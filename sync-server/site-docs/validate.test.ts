import { describe, expect, it } from 'vitest';
import { DEMO_TEMPLATE } from '../../domain';
import { builtinCalendars } from '../../rules/node/load';
import { readFileSync } from 'node:fs';
import { formOrderProblem, siteDocProblem } from './validate';

const version = (n: number, note = '') => JSON.stringify({ version: n, template: { ...DEMO_TEMPLATE, version: n }, publishedBy: 'admin', publishedAt: '2026-11-24T09:00:00.000Z', seat: 'AA', note });

describe('site documents before the server keeps them', () => {
  const calendars = builtinCalendars();
  it('takes a rule pack that compiles and refuses one that does not, saying why', () => {
    expect(siteDocProblem('rulebook', readFileSync('rules/packs/seed.yaml', 'utf8'), calendars)).toBeNull();
    expect(siteDocProblem('rulebook', 'version: 1\nname: x\nrouting: [{ id: 1 }]\n', calendars)).toMatch(/does not compile/);
  });

  it('takes a valid form version and refuses a template of another number or a broken one', () => {
    expect(siteDocProblem('forms', version(2), calendars)).toBeNull();
    expect(siteDocProblem('forms', JSON.stringify({ ...JSON.parse(version(2)), version: 3 }), calendars)).toMatch(/version 3 holds a template of version 2/);
    expect(siteDocProblem('forms', '{', calendars)).toMatch(/not JSON/);
    expect(siteDocProblem('forms', JSON.stringify({ version: 2 }), calendars)).toMatch(/not valid/);
  });

  it('keeps form versions in one line: the next number only, redelivery allowed, a rival refused', () => {
    expect(formOrderProblem('v2', version(2), [])).toBeNull();
    expect(formOrderProblem('v3', version(3), [])).toMatch(/next form version is 2/);
    expect(formOrderProblem('x', version(2), [])).toMatch(/published as v2/);
    const stored = [{ id: 'v2', body: version(2) }];
    expect(formOrderProblem('v2', version(2), stored)).toBeNull();
    expect(formOrderProblem('v2', version(2, '另一位管理员'), stored)).toMatch(/already published with other content/);
    expect(formOrderProblem('v3', version(3), stored)).toBeNull();
  });
});
