/**
 * Who is on duty now, roster by roster, for the dispatcher's 值班调度 panel: each person with the
 * shift that covers `now`, when it ends, and how many open tickets they carry. Pure: the pack, the
 * rows and the instant are arguments; shifts are read on the site's wall clock (the pack's zone),
 * never the machine's, half-open [from, to) like the routing rules read them (rules/people/roster).
 */
import { OPEN_STATES, type TicketRow } from '../../../domain';
import { formatInZone, localParts, toInstant, type CompiledPack } from '../../../rules';
import { shiftCovers, type Shift } from '../../../rules/people/roster';
import type { OnDutyPerson, OnDutyRoster } from '../../contract/ipc';

const pad = (n: number) => String(n).padStart(2, '0');
/** "20:00–08:00"; a shift ending at midnight shows 24:00. */
export function shiftLabel(shift: Pick<Shift, 'from' | 'to'>): string {
  const hhmm = (m: number) => `${pad(Math.floor(m / 60))}:${pad(m % 60)}`;
  return `${hhmm(shift.from)}–${hhmm(shift.to)}`;
}

/** The instant a shift covering local `day`/`minute` ends (it started today, or yesterday if it crosses midnight). */
function shiftEnd(shift: Shift, zone: string, day: number, minute: number): number {
  const crosses = shift.to <= shift.from;
  const startedToday = !crosses || minute >= shift.from;
  return toInstant(zone, crosses && startedToday ? day + 1 : day, shift.to);
}

export interface DutyAt {
  readonly user: string;
  readonly shift: string;
  /** Epoch ms the covering shift ends (the latest, if several cover `now`). */
  readonly until: number;
}

/** The people of one roster on duty at `now` in `zone`, by id, each once with their covering shift. */
export function rosterAt(shifts: readonly Shift[], zone: string, now: number): DutyAt[] {
  const { day, minute } = localParts(zone, now);
  const byUser = new Map<string, DutyAt>();
  for (const shift of shifts) {
    if (!shiftCovers(shift, day, minute)) continue;
    const until = shiftEnd(shift, zone, day, minute);
    const had = byUser.get(shift.user);
    if (!had || until > had.until) byUser.set(shift.user, { user: shift.user, shift: shiftLabel(shift), until });
  }
  return [...byUser.values()].sort((a, b) => a.user.localeCompare(b.user));
}

/** Open tickets per assignee, from the seat's rows. */
export function openLoad(rows: readonly TicketRow[]): Map<string, number> {
  const load = new Map<string, number>();
  for (const r of rows) if (r.assignee && OPEN_STATES.includes(r.state)) load.set(r.assignee, (load.get(r.assignee) ?? 0) + 1);
  return load;
}

/** Every roster of the pack, the pools its routing rules send work to, and who is on duty at `now`. */
export function onDutyNow(pack: Pick<CompiledPack, 'zone' | 'rosters' | 'routing' | 'directory'>, rows: readonly TicketRow[], now: number): OnDutyRoster[] {
  const load = openLoad(rows);
  const out: OnDutyRoster[] = [];
  for (const [roster, shifts] of pack.rosters) {
    const pools = new Set<string>();
    for (const rule of pack.routing) if (rule.assign?.kind === 'roster' && rule.assign.roster === roster && rule.pool) pools.add(rule.pool);
    const people = rosterAt(shifts, pack.zone, now).map((d): OnDutyPerson => ({
      id: d.user, name: pack.directory.name(d.user), shift: d.shift, until: formatInZone(pack.zone, d.until), load: load.get(d.user) ?? 0,
    }));
    out.push({ roster, pools: [...pools].sort(), people });
  }
  return out;
}
