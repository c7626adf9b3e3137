/** Literal inputs for tests: a ticket builder and a compact pack around the field's examples. */
import { parsePack } from '../pack/compile';
import type { CompileOptions } from '../pack/compile';
import type { CompiledPack } from '../pack/types';
import { parseTicket } from '../model/ticket';
import type { Ticket } from '../model/ticket';

export function ticket(fields: Record<string, unknown> = {}): Ticket {
  return parseTicket({
    id: 't-1', title: '', description: '', tags: [], state: 'pending_acceptance',
    createdAt: '2026-02-18T22:10:00+08:00', ...fields,
  });
}

/** Mon–Fri 08:30–12:00 and 13:30–17:30, 1 Oct off, Saturday 10 Oct worked. */
export const CALENDAR_YAML = `
  calendar:
    workdays: [mon, tue, wed, thu, fri]
    hours: [["08:30", "12:00"], ["13:30", "17:30"]]
    holidays: ["2026-10-01"]
    extra_workdays: ["2026-10-10"]`;

export const PEOPLE_YAML = `
site:
  timezone: Asia/Shanghai
  areas: { east: [1号楼, 2号楼], west: [3号楼] }{{calendar}}
people:
  - { id: lin.chief, name: 林师傅, roles: [technician], teams: [mechanical] }
  - { id: wang.tech, name: 王建国, roles: [technician], teams: [mechanical] }
  - { id: zhang.tech, name: 张磊, roles: [technician], teams: [mechanical] }
  - { id: zhao.agent, name: 赵敏, roles: [agent] }
  - { id: sun.agent, name: 孙丽, roles: [agent] }
  - { id: zhou.sup, name: 周主管, roles: [supervisor], areas: [east] }
rosters:
  night-chief:
    - { user: lin.chief, days: [mon, tue, wed, thu, fri, sat, sun], from: "20:00", to: "08:00" }
`;

/** A pack from a YAML body appended to the shared site and people (version line included). */
export function pack(body: string, options: CompileOptions & { calendar?: boolean } = {}): CompiledPack {
  const site = PEOPLE_YAML.replace('{{calendar}}', options.calendar ? CALENDAR_YAML : '');
  return parsePack(`version: 1\n${site}\n${body}`, { file: 'test.yaml', ...options });
}

export const NIGHT_BEARING = `
routing:
  - id: night-bearing
    when:
      all:
        - keywords: { any: [轴承, 异响, 停机风险], in: [title, description, tags] }
        - time: { field: createdAt, between: ["20:00", "07:59"] }
    then:
      assign: { roster: night-chief }
      pool: 紧急-机械类
      skip_dispatch: true
      priority: P1
      tags: [夜间直派]
      notify: [{ channel: sms, to: assignee }]
    stop: true
`;
