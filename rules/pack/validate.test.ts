import { describe, expect, it } from 'vitest';
import { compilePack, parsePack } from './compile';
import { PackError } from './errors';
import { packToData } from './to-data';
import { NIGHT_BEARING, PEOPLE_YAML, pack } from '../testing/fixtures';

function errorOf(text: string, file = 'seed.yaml'): PackError {
  try {
    parsePack(text, { file });
  } catch (error) {
    if (error instanceof PackError) return error;
    throw error;
  }
  throw new Error('expected a PackError');
}

const base = `version: 1\n${PEOPLE_YAML.replace('{{calendar}}', '')}`;

describe('pack validation', () => {
  it('compiles the night-bearing example', () => {
    const p = pack(NIGHT_BEARING);
    expect(p.routing.map((r) => r.id)).toEqual(['night-bearing']);
    expect(p.keywords.size).toBe(3);
  });

  it('reports broken YAML with its line', () => {
    const e = errorOf('version: 1\nsite: { timezone: Asia/Shanghai\npeople: []\n');
    expect(e.message).toMatch(/^seed\.yaml: line \d+, column \d+: /);
  });

  it('rejects duplicate mapping keys', () => {
    expect(errorOf('version: 1\nversion: 1\n').message).toMatch(/seed\.yaml: line 2.*unique/);
  });

  it('names the rule and path of an impossible window', () => {
    const e = errorOf(base + NIGHT_BEARING.replace('"20:00", "07:59"', '"25:00", "07:59"'));
    expect(e.message).toBe('seed.yaml: routing[0] (night-bearing) .when.all[1].time.between[0]: expected "HH:MM" (00:00–23:59)');
  });

  it('names the path of a window that is not a pair', () => {
    const e = errorOf(base + NIGHT_BEARING.replace('between: ["20:00", "07:59"]', 'between: 20:00-07:59'));
    expect(e.message).toContain('seed.yaml: routing[0] (night-bearing) .when.all[1].time.between: expected ["HH:MM", "HH:MM"]');
  });

  it('rejects unknown keys by path', () => {
    const e = errorOf(base + NIGHT_BEARING.replace('pool: 紧急-机械类', 'pol: 紧急-机械类'));
    expect(e.lines).toEqual(['seed.yaml: routing[0] (night-bearing) .then.pol: unknown key']);
    const top = errorOf(`${base}\nroutnig: []\n`);
    expect(top.lines).toEqual(['seed.yaml: routnig: unknown key']);
  });

  it('rejects an unknown condition leaf and lists the known ones', () => {
    const e = errorOf(base + NIGHT_BEARING.replace('- keywords:', '- keyword:'));
    expect(e.message).toContain('routing[0] (night-bearing) .when.all[0].keyword: unknown condition, expected one of all, any, not, keywords, field, time, count');
  });

  it('rejects bad durations', () => {
    const e = errorOf(`${base}\nsla:\n  - { id: s, state: dispatched, after: 30 min, level: escalate }\n`);
    expect(e.message).toContain('seed.yaml: sla[0] (s) .after: expected a duration like 15m');
    const zero = errorOf(`${base}\nsla:\n  - { id: s, state: dispatched, after: 0m, level: escalate }\n`);
    expect(zero.message).toContain('sla[0] (s) .after');
    const days = errorOf(`${base.replace('  areas:', '  calendar: { workdays: [mon], hours: [["08:00", "17:00"]] }\n  areas:')}\nsla:\n  - { id: s, state: dispatched, after: 2d, business: true, level: warn }\n`);
    expect(days.message).toContain('sla[0] (s) .after: with business: true, durations are in s, m or h');
  });

  it('rejects a bad level with the accepted values', () => {
    const e = errorOf(`${base}\nsla:\n  - { id: s, state: dispatched, after: 30m, level: critical }\n`);
    expect(e.message).toBe('seed.yaml: sla[0] (s) .level: expected one of warn, breach, escalate');
  });

  it('rejects unknown roster, user, team and area references', () => {
    const e = errorOf(`${base}
routing:
  - id: a
    then: { assign: { roster: day-chief } }
  - id: b
    then: { assign: { user: nobody } }
  - id: c
    then: { assign: { team: electrical } }
sla:
  - id: s
    state: dispatched
    after: 30m
    level: escalate
    then: { notify: [{ channel: sms, to: { role: supervisor, area: north } }] }
`);
    expect(e.lines).toEqual([
      'seed.yaml: routing[0] (a) .then.assign.roster: unknown roster "day-chief"',
      'seed.yaml: routing[1] (b) .then.assign.user: unknown person "nobody"',
      'seed.yaml: routing[2] (c) .then.assign.team: unknown team "electrical" (no person has it)',
      'seed.yaml: sla[0] (s) .then.notify[0].to.area: unknown area "north" (expected ticket or one of: east, west)',
    ]);
  });

  it('rejects a roster shift for an unknown person', () => {
    const e = errorOf(base.replace('user: lin.chief', 'user: lin.chef'));
    expect(e.message).toBe('seed.yaml: rosters.night-chief[0].user: unknown person "lin.chef"');
  });

  it('rejects duplicate rule ids across sections', () => {
    const e = errorOf(`${base}${NIGHT_BEARING}\nautomations:\n  - { id: night-bearing, on: created, then: { tags: [x] } }\n`);
    expect(e.message).toBe('seed.yaml: automations[0] (night-bearing) .id: duplicate rule id "night-bearing" (also routing[0])');
  });

  it('rejects an unknown time zone and a wrong version', () => {
    expect(errorOf(base.replace('Asia/Shanghai', 'Asia/Peking')).message).toContain('site.timezone: expected an IANA time zone');
    expect(errorOf(base.replace('version: 1', 'version: 2')).message).toContain('version: expected version: 1');
  });

  it('rejects business conditions without a calendar and unknown calendars', () => {
    expect(errorOf(`${base}\nrouting:\n  - { id: r, when: { time: { business: true } }, then: { tags: [x] } }\n`).message)
      .toBe('seed.yaml: routing[0] (r) .when.time.business: business needs site.calendar');
    const withInclude = base.replace('  areas:', '  calendar: { include: cn-2025, hours: [["08:00", "17:00"]] }\n  areas:');
    expect(errorOf(withInclude).message).toBe('seed.yaml: site.calendar.include: unknown calendar "cn-2025" (available: none)');
  });

  it('rejects opening hours that overlap or run backwards', () => {
    const bad = base.replace('  areas:', '  calendar: { hours: [["13:00", "12:00"]] }\n  areas:');
    expect(errorOf(bad).message).toContain('site.calendar.hours[0]: opening hours must end after they start');
  });

  it('refuses packs over 2 MB and over 5,000 rules', () => {
    const huge = `${base}\n# ${'x'.repeat(2 * 1024 * 1024)}\n`;
    expect(errorOf(huge).message).toMatch(/seed\.yaml: \(pack\): \d+ bytes; a pack is at most 2097152 bytes/);
    const many = Array.from({ length: 5001 }, (_, i) => `  - { id: r${i}, then: { tags: [t] } }`).join('\n');
    expect(errorOf(`${base}\nrouting:\n${many}\n`).message).toContain('routing: expected at most 5000 items');
  });

  it('reports several problems at once', () => {
    const e = errorOf(`${base}\nrouting:\n  - { id: a, then: { priority: P9 } }\n  - { id: b, then: {} }\n`);
    expect(e.lines).toEqual([
      'seed.yaml: routing[0] (a) .then.priority: expected one of P1, P2, P3, P4',
      'seed.yaml: routing[1] (b) .then: expected at least one action',
    ]);
  });
});

describe('packs as data', () => {
  it('turns a compiled pack back into plain data that compiles to the same rules', () => {
    const p = pack(NIGHT_BEARING);
    const data = packToData(p);
    expect(JSON.parse(JSON.stringify(data))).toEqual(data);
    const again = compilePack(data, { file: 'stored' });
    expect(packToData(again)).toEqual(data);
    expect(again.routing[0]?.assign).toEqual({ kind: 'roster', roster: 'night-chief' });
    expect((data.routing?.[0]?.when as { all: unknown[] }).all[1]).toEqual({ time: { field: 'createdAt', between: ['20:00', '07:59'] } });
  });

  it('keeps times and dates as strings (YAML 1.2 core schema)', () => {
    const p = parsePack(`${base}\nautomations:\n  - { id: a, on: created, then: { tags: [x] } }\n`);
    expect(p.data.rosters?.['night-chief']?.[0]?.from).toBe('20:00');
    expect(p.automations[0]?.on).toEqual({ kind: 'created' });
  });
});
