/**
 * The site's people, areas and rosters as rules address them: by id, role, team, area ("the
 * area supervisor" of the ticket's location) or roster (whoever is on duty now).
 */
import { normalizeText } from '../keywords/normalize';
import { onDuty } from './roster';
import type { Shift } from './roster';

export interface Person {
  readonly id: string;
  readonly name: string;
  readonly roles: readonly string[];
  readonly teams: readonly string[];
  readonly areas: readonly string[];
}

/** Who a recipient resolved to, and in words why (for explain lines). */
export interface Resolved {
  readonly ids: readonly string[];
  readonly label: string;
}

export class Directory {
  private readonly byId = new Map<string, Person>();
  /** [normalised location prefix, area], longest prefix first. */
  private readonly locations: (readonly [string, string])[] = [];

  constructor(
    people: readonly Person[],
    readonly areas: ReadonlyMap<string, readonly string[]>,
    readonly rosters: ReadonlyMap<string, readonly Shift[]>,
    readonly zone: string,
  ) {
    for (const person of people) this.byId.set(person.id, person);
    for (const [area, places] of areas) for (const place of places) this.locations.push([normalizeText(place.trim()), area]);
    this.locations.sort((a, b) => b[0].length - a[0].length);
  }

  person(id: string): Person | undefined {
    return this.byId.get(id);
  }

  /** A person's name for explain lines, or the id if unknown. */
  name(id: string): string {
    return this.byId.get(id)?.name ?? id;
  }

  names(ids: readonly string[]): string {
    return ids.map((id) => this.name(id)).join(', ');
  }

  /** The area a location belongs to: the longest listed location it starts with (1号楼 ≠ 11号楼). */
  areaOf(location: string | null | undefined): string | null {
    if (!location) return null;
    const text = normalizeText(location.trim());
    for (const [prefix, area] of this.locations) if (text.startsWith(prefix)) return area;
    return null;
  }

  withRole(role: string, area: string | null): string[] {
    const ids: string[] = [];
    for (const person of this.byId.values()) {
      if (person.roles.includes(role) && (area === null || person.areas.includes(area))) ids.push(person.id);
    }
    return ids.sort();
  }

  inTeam(team: string): string[] {
    return [...this.byId.values()].filter((p) => p.teams.includes(team)).map((p) => p.id).sort();
  }

  onDuty(roster: string, now: number): string[] {
    return onDuty(this.rosters.get(roster) ?? [], this.zone, now);
  }

  hasTeam(team: string): boolean {
    return [...this.byId.values()].some((p) => p.teams.includes(team));
  }
}
