/**
 * SLA scheduler under load: 100,000 open tickets in the due-time heap, a real timer loop (one
 * timer for the earliest deadline), deadlines falling due during a bounded run. Measures how late
 * escalations fire and the CPU the loop uses while nothing is due.
 */
import { evaluate } from '../../rules/engine/evaluate';
import { fromInput } from '../../rules/model/ticket';
import type { CompiledPack } from '../../rules/pack/types';
import { DeadlineScheduler } from '../../rules/sla/scheduler';
import { formatInZone } from '../../rules/time/zone';
import { percentile, round } from './stats';
import { rng } from './generate';

export interface SlaFigures {
  openTickets: number;
  dueDuringRun: number;
  fired: number;
  buildMs: number;
  lateMaxMs: number;
  lateP99Ms: number;
  activeCpuPct: number;
  idleCpuPct: number;
  idleSeconds: number;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
const cpuMs = (): number => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

export async function runSlaBench(pack: CompiledPack, opts = { open: 100_000, due: 2_000, activeMs: 8_000, idleMs: 2_000 }): Promise<SlaFigures> {
  const r = rng(7);
  const scheduler = new DeadlineScheduler();
  // The runner's clock: real milliseconds since `epoch` (set once the heap is built), so the
  // time spent building does not count as lateness. The scheduler only compares numbers.
  let epoch = Date.now();
  const clock = (): number => Date.now() - epoch;
  const t0 = performance.now();
  for (let i = 0; i < opts.open; i++) {
    const dueAt = i < opts.due
      ? Math.floor(r() * opts.activeMs)
      : 3_600_000 + Math.floor(r() * 30 * 86_400_000); // due later: an hour to a month out
    scheduler.upsert({ dueAt, ticket: `t-${i}`, rule: 'dispatch-30m' });
  }
  const buildMs = performance.now() - t0;
  epoch = Date.now() + 300;
  const wallOf = (t: number): number => epoch + t;

  const lateness: number[] = [];
  let timer: ReturnType<typeof setTimeout> | null = null;
  let fired = 0;
  const fire = (): void => {
    timer = null;
    const now = clock();
    for (const due of scheduler.popDue(now)) {
      lateness.push(clock() - due.dueAt);
      // The seat's work for an escalation: evaluate the ticket at now (banners, SMS to the supervisor).
      const enteredAt = wallOf(due.dueAt) - 30 * 60_000;
      const ticket = fromInput({
        id: due.ticket, title: '设备报修', location: '1号楼', state: 'dispatched', assignee: 'zhang.lei',
        createdAt: formatInZone(pack.zone, enteredAt - 60_000), stateEnteredAt: formatInZone(pack.zone, enteredAt),
      });
      const result = evaluate(pack, ticket, { now: wallOf(now), event: 'updated' });
      if (result.notifications.length > 0) fired++;
    }
    arm();
  };
  const arm = (): void => {
    const next = scheduler.peek();
    if (!next) return;
    const delay = Math.min(Math.max(0, next.dueAt - clock()), 2 ** 31 - 1);
    timer = setTimeout(fire, delay);
  };

  const activeCpu0 = cpuMs();
  const activeWall0 = performance.now();
  arm();
  await sleep(opts.activeMs + 500 - clock());
  const activeCpuPct = ((cpuMs() - activeCpu0) / (performance.now() - activeWall0)) * 100;

  // Idle: the next deadline is an hour away; the loop holds one pending timer.
  const idleCpu0 = cpuMs();
  const idleWall0 = performance.now();
  await sleep(opts.idleMs);
  const idleWall = performance.now() - idleWall0;
  const idleCpuPct = ((cpuMs() - idleCpu0) / idleWall) * 100;
  if (timer) clearTimeout(timer);

  return {
    openTickets: opts.open, dueDuringRun: opts.due, fired, buildMs: round(buildMs),
    lateMaxMs: lateness.length ? Math.max(...lateness) : NaN, lateP99Ms: percentile(lateness, 99),
    activeCpuPct: round(activeCpuPct, 2), idleCpuPct: round(idleCpuPct, 3), idleSeconds: round(idleWall / 1000, 2),
  };
}
