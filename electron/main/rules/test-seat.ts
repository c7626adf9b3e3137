import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dispatch, type CallContext, type CallName, type CallOutput, type ContractErrorBody, type EventName, type Events } from '../../contract/ipc';
import { createLocalNode, type LocalNode } from '../node';

/** A seat for rule tests: a real local node in a temp folder, its clock in the test's hands. */
export interface TestSeat {
  node: LocalNode;
  dataDir: string;
  now: number;
  /** Moves the clock to `iso` (or by `ms`) and tells the node, as the host's `--clock-file` does. */
  setClock(to: string | number): void;
  call<K extends CallName>(name: K, input: unknown, ctx?: CallContext): Promise<CallOutput<K>>;
  refusal(name: CallName, input: unknown, ctx?: CallContext): Promise<ContractErrorBody>;
  as(userId: string): Promise<CallContext>;
  /** Every event the node sent, in order. */
  events: { name: EventName; payload: Events[EventName]; at: number }[];
  /** The first event since the last `setClock` (or to come) that passes `test`. */
  waitFor<E extends EventName>(name: E, test: (payload: Events[E]) => boolean, timeoutMs?: number): Promise<Events[E]>;
  reopen(): Promise<void>;
  close(): Promise<void>;
}

export const BEARING_FORM = {
  title: '3号机床主轴停转', requester_name: '张三', requester_phone: '13812345678', area: '公共区域',
  location: '3号楼/2单元/1502', device: 'CNC-07', fault_type: '硬件', description: '主轴轴承有明显的金属摩擦声',
  urgency: '立即处理', owner_cooperation: '否', faulty_part: '主轴轴承',
};

export const PLAIN_FORM = { ...BEARING_FORM, title: '空调不制冷', description: '会议室空调开机后只吹自然风', device: 'AC-12', faulty_part: '压缩机' };

export async function openTestSeat(opts: { now: string; seat?: string; dataDir?: string; bannerThrottleMs?: number }): Promise<TestSeat> {
  const dataDir = opts.dataDir ?? mkdtempSync(join(tmpdir(), 'closeloop-rules-'));
  const open = () => createLocalNode({
    dataDir, seat: opts.seat ?? 'AB', clock: () => seat.now,
    rules: { bannerThrottleMs: opts.bannerThrottleMs ?? 0 }, log: () => undefined,
  });
  const events: TestSeat['events'] = [];
  let mark = 0; // waitFor looks at events since the last setClock
  const listen = (node: LocalNode) => node.subscribe((name, payload) => events.push({ name, payload, at: Date.now() }));
  const seat: TestSeat = {
    node: undefined as unknown as LocalNode, // set right below, before anyone can use it
    dataDir,
    now: Date.parse(opts.now),
    events,
    setClock(to) {
      mark = events.length;
      seat.now = typeof to === 'number' ? seat.now + to : Date.parse(to);
      seat.node.clockChanged();
    },
    async call(name, input, ctx = { session: null }) {
      const reply = await dispatch(seat.node.handlers, name, input, ctx);
      if (!reply.ok) throw Object.assign(new Error(reply.error.message), { body: reply.error });
      return reply.value;
    },
    async refusal(name, input, ctx = { session: null }) {
      const reply = await dispatch(seat.node.handlers, name, input, ctx);
      if (reply.ok) throw new Error(`${name} was expected to fail`);
      return reply.error;
    },
    async as(userId) {
      const ctx: CallContext = { session: null };
      await seat.call('session.signIn', { userId }, ctx);
      return ctx;
    },
    waitFor(name, test, timeoutMs = 5000) {
      return new Promise((resolve, reject) => {
        const seen = events.slice(mark).find((e) => e.name === name && test(e.payload as Events[typeof name]));
        if (seen) return resolve(seen.payload as Events[typeof name]);
        const timer = setTimeout(() => { stop(); reject(new Error(`no ${name} event within ${timeoutMs} ms`)); }, timeoutMs);
        const stop = seat.node.subscribe((n, payload) => {
          if ((n as EventName) !== name || !test(payload as Events[typeof name])) return;
          clearTimeout(timer);
          stop();
          resolve(payload as Events[typeof name]);
        });
      });
    },
    async reopen() {
      await seat.node.close();
      seat.node = await open();
      listen(seat.node);
    },
    async close() {
      await seat.node.close();
      if (!opts.dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
  seat.node = await open();
  listen(seat.node);
  return seat;
}
