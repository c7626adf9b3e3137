/**
 * Additive totals of ticket contributions. A Tally per created day is what the dashboard keeps;
 * a period's figures are the sum of its days' tallies plus the tickets whose contribution still
 * depends on `now`. Every field is an integer count or a sum of integer milliseconds, so adding
 * and removing contributions in any order gives exactly the same totals as a fresh pass.
 */
import { STAGES } from '../breakpoints';
import type { TicketFacts } from './facts';
import { TWO_HOURS } from './facts';

const S = STAGES.length;

function bump<K>(map: Map<K, number>, key: K, by: number): void {
  const v = (map.get(key) ?? 0) + by;
  if (v === 0) map.delete(key);
  else map.set(key, v);
}

export class Tally {
  created = 0;
  firstPass = 0;
  /** Of the tickets the 2-hour rate counts: assigned within 2 h (≤). */
  frWithin = 0;
  frCounted = 0;
  closed = 0;
  closeSumMs = 0;
  /** building → [closed, sum of close ms] */
  readonly buildings = new Map<string, [number, number]>();
  readonly devices = new Map<string, number>();
  readonly finishedLate: number[] = new Array<number>(S).fill(0);
  readonly waitingLate: number[] = new Array<number>(S).fill(0);
  /** Per stage: start day → late tickets. */
  readonly lateByDay: Map<number, number>[] = Array.from({ length: S }, () => new Map<number, number>());

  /** Adds (sign 1) or removes (sign −1) a ticket's contribution as it stands at `now` (thresholds by stage index). */
  add(f: TicketFacts, now: number, sign: 1 | -1, thresholds: readonly number[]): void {
    if (f.cancelled) return;
    this.created += sign;
    if (f.firstPass) this.firstPass += sign;
    if (!Number.isNaN(f.assignedMs)) {
      this.frCounted += sign;
      if (f.assignedMs - f.createdMs <= TWO_HOURS) this.frWithin += sign;
    } else if (now - f.createdMs > TWO_HOURS) {
      this.frCounted += sign;
    }
    if (f.verifiedMs <= now) {
      const ms = f.verifiedMs - f.createdMs;
      this.closed += sign;
      this.closeSumMs += sign * ms;
      const b = this.buildings.get(f.building);
      if (b) {
        b[0] += sign;
        b[1] += sign * ms;
        if (b[0] === 0) this.buildings.delete(f.building);
      } else this.buildings.set(f.building, [sign, sign * ms]);
    }
    if (f.device !== null) bump(this.devices, f.device, sign);
    const code = f.lateCode;
    if (code !== 0) {
      for (let s = 0; s < S; s++) if (code & (1 << s)) this.late(s, f.createdDay + ((code >>> (7 + 3 * s)) & 7), sign);
    }
    const far = f.lateFar;
    if (far) for (let i = 0; i < far.length; i += 2) this.late(far[i] as number, far[i + 1] as number, sign);
    const w = f.waitingStage;
    if (w >= 0 && now - f.waitingSince > (thresholds[w] as number)) {
      this.waitingLate[w] = (this.waitingLate[w] as number) + sign;
      bump(this.lateByDay[w] as Map<number, number>, f.waitingDay, sign);
    }
  }

  private late(stage: number, day: number, sign: number): void {
    this.finishedLate[stage] = (this.finishedLate[stage] as number) + sign;
    bump(this.lateByDay[stage] as Map<number, number>, day, sign);
  }

  /** Adds another tally's totals to this one. */
  merge(o: Tally): void {
    this.created += o.created;
    this.firstPass += o.firstPass;
    this.frWithin += o.frWithin;
    this.frCounted += o.frCounted;
    this.closed += o.closed;
    this.closeSumMs += o.closeSumMs;
    for (const [k, [n, ms]] of o.buildings) {
      const b = this.buildings.get(k);
      if (b) {
        b[0] += n;
        b[1] += ms;
      } else this.buildings.set(k, [n, ms]);
    }
    for (const [k, n] of o.devices) bump(this.devices, k, n);
    for (let s = 0; s < S; s++) {
      this.finishedLate[s] = (this.finishedLate[s] as number) + (o.finishedLate[s] as number);
      this.waitingLate[s] = (this.waitingLate[s] as number) + (o.waitingLate[s] as number);
      const mine = this.lateByDay[s] as Map<number, number>;
      for (const [d, n] of o.lateByDay[s] as Map<number, number>) bump(mine, d, n);
    }
  }

  /** Whether nothing is counted (a day bucket that can be dropped). */
  isEmpty(): boolean {
    return this.created === 0 && this.devices.size === 0 && this.buildings.size === 0;
  }
}
