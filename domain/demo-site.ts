import type { Role } from './ticket';

/** A person of the site. Before sync brings real sign-in, a seat signs in as one of these. */
export interface SitePerson {
  id: string;
  name: string;
  role: Role;
  teams: string[];
  areas: string[];
}

export interface SiteInfo {
  id: string;
  name: string;
  prefix: string;
  timezone: string;
}

export const DEMO_SITE: SiteInfo = { id: 'mx-plant', name: '明湘工业园', prefix: 'MX', timezone: 'Asia/Shanghai' };

export const DEMO_PEOPLE: readonly SitePerson[] = [
  { id: 'wang.fang', name: '王芳', role: 'agent', teams: ['call-center'], areas: [] },
  { id: 'li.na', name: '李娜', role: 'agent', teams: ['call-center'], areas: [] },
  { id: 'zhang.wei', name: '张伟', role: 'dispatcher', teams: ['dispatch'], areas: [] },
  { id: 'lin.chief', name: '林师傅', role: 'technician', teams: ['mechanical'], areas: ['east'] },
  { id: 'chen.tech', name: '陈师傅', role: 'technician', teams: ['mechanical'], areas: ['east'] },
  { id: 'zhao.tech', name: '赵师傅', role: 'technician', teams: ['electrical'], areas: ['west'] },
  { id: 'liu.tech', name: '刘工', role: 'technician', teams: ['it'], areas: ['east', 'west'] },
  { id: 'he.tech', name: '何工', role: 'technician', teams: ['it'], areas: ['east', 'west'] },
  { id: 'sun.tech', name: '孙师傅', role: 'technician', teams: ['property'], areas: ['west'] },
  { id: 'zhou.sup', name: '周主管', role: 'supervisor', teams: [], areas: ['east'] },
  { id: 'wu.sup', name: '吴主管', role: 'supervisor', teams: [], areas: ['west'] },
  { id: 'admin', name: '系统管理员', role: 'admin', teams: [], areas: [] },
];

/** Buildings by area, as the rule pack's `site.areas` lists them. */
export const DEMO_AREAS: Record<string, string[]> = {
  east: ['1号楼', '2号楼', '3号楼'],
  west: ['4号楼', '5号楼', '6号楼'],
};

export function personName(id: string | null, people: readonly SitePerson[] = DEMO_PEOPLE): string {
  if (!id) return '';
  return people.find((p) => p.id === id)?.name ?? id;
}
