import { availableActions, checkTransition, DEMO_PEOPLE, isOpen, type ActionId, type Rng, type TransitionInput } from '../../../domain';
import type { TestSeat } from '../helpers/seat';

/** The console actions a seat's person takes during the chaos run, chosen by a seeded RNG. */
const TECHS = DEMO_PEOPLE.filter((p) => p.role === 'technician').map((p) => p.id);
const pick = <T>(rng: Rng, xs: readonly T[]): T | undefined => xs[Math.floor(rng() * xs.length)];

function inputFor(action: ActionId, rng: Rng, current: string | null): TransitionInput {
  switch (action) {
    case 'dispatch':
    case 'reassign':
      return { assignee: pick(rng, TECHS.filter((t) => t !== current))! };
    case 'first_response':
      return { note: '已电话联系报修人' };
    case 'resolve':
      return { note: '更换部件，试运行正常' };
    case 'supply_info':
      return { form: {} };
    default:
      return { reason: '现场情况变化' };
  }
}

/** An allowed workflow action on one of the seat's tickets; false when none was possible. */
export function honestAction(seat: TestSeat, rng: Rng): boolean {
  const ids = seat.replica.ids();
  for (let tries = 0; tries < 8; tries++) {
    const id = pick(rng, ids);
    const t = id ? seat.replica.ticket(id) : null;
    if (!id || !t) return false;
    const actor = { user: seat.user, kind: seat.role };
    const actions = availableActions(t, actor);
    const action = pick(rng, actions);
    if (!action) continue;
    const input = inputFor(action, rng, t.assignee);
    if (checkTransition(t, action, actor, input)) continue;
    seat.act(id, action, input);
    return true;
  }
  return false;
}

export function honestComment(seat: TestSeat, rng: Rng, n: number): boolean {
  const open = seat.replica.ids().filter((id) => isOpen(seat.replica.row(id)?.state ?? 'closed'));
  const id = pick(rng, open);
  if (!id) return false;
  seat.comment(id, `chaos note ${n}`);
  return true;
}

/** What a tampered seat might try: a transition its role may not make, or an edit to a closed ticket. */
export function dishonestAction(seat: TestSeat, rng: Rng): boolean {
  const ids = seat.replica.ids();
  const id = pick(rng, ids);
  const t = id ? seat.replica.ticket(id) : null;
  if (!id || !t) return false;
  if (t.state === 'closed' || t.state === 'cancelled') {
    seat.comment(id, 'edit after closing');
    return true;
  }
  const forbidden = (['dispatch', 'verify', 'reopen', 'cancel'] as ActionId[]).filter((a) => checkTransition(t, a, { user: seat.user, kind: seat.role }, inputFor(a, rng, t.assignee)) !== null);
  const action = pick(rng, forbidden);
  if (!action) return false;
  seat.act(id, action, inputFor(action, rng, t.assignee), { force: true });
  return true;
}
