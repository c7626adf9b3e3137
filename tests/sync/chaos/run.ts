import { seededRng, type Rng } from '../../../domain';
import { startServer, type ServerProcess } from '../helpers/server-process';
import { TestSeat, waitFor } from '../helpers/seat';
import { SyncClient } from '../../../electron/main/sync/client';
import { dishonestAction, honestAction, honestComment } from './actions';
import { checkInvariants } from './invariants';

/**
 * The chaos run: seeded random edits on several seats (and one tampered seat), partitions, network
 * cuts, seat restarts and `kill -9` restarts of the server; then everything reconnects and the
 * invariants are checked (invariants.ts).
 */
export interface ChaosOptions {
  seed: number;
  seats: number;
  ops: number;
  /** Most server kills in one run. */
  maxKills?: number;
  log?: (line: string) => void;
}

export interface ChaosReport {
  ok: boolean;
  seed: number;
  seats: number;
  ops: number;
  kills: number;
  partitions: number;
  seatRestarts: number;
  tickets: number;
  refused: number;
  ms: number;
  problems: string[];
}

const USERS = ['wang.fang', 'zhang.wei', 'lin.chief', 'zhou.sup', 'chen.tech', 'li.na', 'liu.tech', 'wu.sup', 'zhao.tech', 'sun.tech'];
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function runChaos(opts: ChaosOptions): Promise<ChaosReport> {
  const started = Date.now();
  const log = opts.log ?? (() => undefined);
  const rng: Rng = seededRng(opts.seed);
  const server: ServerProcess = await startServer({ demo: 30, args: ['--compact-ms', '200'] });
  const report: ChaosReport = { ok: false, seed: opts.seed, seats: opts.seats, ops: opts.ops, kills: 0, partitions: 0, seatRestarts: 0, tickets: 0, refused: 0, ms: 0, problems: [] };
  const honest: TestSeat[] = [];
  const refusedHashes = new Set<string>();
  const honestRefusals: string[] = [];
  const backoff = { baseMs: 30, maxMs: 800, random: rng };
  const track = (seat: TestSeat, isHonest: boolean) =>
    seat.client.on('refused', (rs) => {
      for (const r of rs) {
        if (isHonest) honestRefusals.push(`${seat.user}: ${r.code} ${r.reason}`);
        for (const h of r.hashes) refusedHashes.add(h);
      }
    });
  try {
    for (let i = 0; i < opts.seats; i++) honest.push(await TestSeat.signIn(server.url, USERS[i % USERS.length]!, `chaos-${i}`, { backoff }));
    const rogue = await TestSeat.signIn(server.url, 'zhao.tech', 'tampered', { backoff });
    const seats = [...honest, rogue];
    seats.forEach((s) => track(s, s !== rogue));
    for (const s of seats) s.start();
    await Promise.all(seats.map((s) => s.online(60_000)));
    for (const s of honest) if (s.role !== 'technician') await s.lease(Math.ceil(opts.ops / 4));
    const offline = new Set<TestSeat>();
    let serverDown = false;
    for (let n = 0; n < opts.ops; n++) {
      const r = rng();
      const seat = honest[Math.floor(rng() * honest.length)]!;
      if (r < 0.3) honestAction(seat, rng);
      else if (r < 0.45) {
        if (seat.role === 'technician') honestAction(seat, rng);
        else seat.create();
      } else if (r < 0.65) honestComment(seat, rng, n);
      else if (r < 0.7) dishonestAction(rogue, rng);
      else if (r < 0.8) {
        report.partitions += 1;
        if (offline.has(seat)) {
          offline.delete(seat);
          seat.client.start();
        } else if (rng() < 0.5) {
          offline.add(seat);
          await seat.client.stop();
        } else seat.client.drop(); // a network cut: the client reconnects by itself
      } else if (r < 0.84 && !offline.has(seat)) {
        // The seat's process restarts: a new client on the same (durable) replica.
        report.seatRestarts += 1;
        await seat.client.stop();
        const fresh = new SyncClient({ ...(seat.client as unknown as { opts: ConstructorParameters<typeof SyncClient>[0] }).opts });
        (seat as unknown as { client: SyncClient }).client = fresh;
        track(seat, true);
        fresh.start();
      } else if (r < 0.87 && report.kills < (opts.maxKills ?? 3) && !serverDown) {
        report.kills += 1;
        log(`op ${n}: kill -9 the server`);
        await server.kill9();
        serverDown = true;
        setTimeout(() => void server.restart().then(() => (serverDown = false)), Math.floor(rng() * 400));
      }
      await sleep(Math.floor(rng() * 12));
    }
    log('settling: everyone back online');
    await waitFor(() => !serverDown, 120_000, 'the server back');
    for (const s of offline) s.client.start();
    const stuck: string[] = [];
    await Promise.all(
      seats.map((s) =>
        waitFor(() => s.client.status.online && s.replica.pendingCount() === 0, 120_000, `${s.user}'s outbox drained`).catch(() => {
          const internals = s.client as unknown as Record<string, unknown>;
          const pusher = internals.pusher as Record<string, unknown>;
          const size = (k: string) => (pusher[k] as { size: number }).size;
          const detail = s.replica.ids().filter((id) => s.replica.hasPending(id)).map((id) => `${id.slice(0, 8)} heads ${s.replica.headsNow(id).map((h) => h.slice(0, 6))} acked ${(s.replica as unknown as { entries: Map<string, { acked: string[] }> }).entries.get(id)!.acked.map((h) => h.slice(0, 6))}`);
          stuck.push(`${s.user}: ${s.replica.pendingCount()} tickets waiting [${detail.join('; ')}]; status ${JSON.stringify(s.client.status)}; inflight ${size('inflight')}, resets ${size('resets')}, repairs ${size('repairs')}, pushing ${String(pusher.pushing)}`);
        }),
      ),
    );
    if (stuck.length > 0) throw new Error(`outboxes did not drain: ${stuck.join(' | ')} | honest refusals: ${honestRefusals.slice(0, 5).join('; ')}`);
    for (let round = 0; round < 5; round++) {
      for (const s of seats) await s.client.antiEntropy();
      await sleep(300);
      if (seats.every((s) => s.replica.pendingCount() === 0)) break;
    }
    const serverDigest = (await honest[0]!.client.request({ t: 'digest', site: 'mx-plant' })).buckets as string[];
    const seatDigests = await Promise.all(seats.map((s) => s.replica.digest('mx-plant')));
    report.problems = checkInvariants({ seats, honest, refusedHashes, honestRefusals, serverDigest, seatDigests });
    report.tickets = honest[0]!.replica.ids().length;
    report.refused = refusedHashes.size;
    report.ok = report.problems.length === 0;
    for (const s of seats) await s.stop();
  } catch (e) {
    report.problems.push(`the run failed: ${(e as Error).message}`);
  } finally {
    await server.stop();
    report.ms = Date.now() - started;
  }
  return report;
}
