/**
 * The SLA scheduler: open deadlines keyed by due time in a binary min-heap of
 * (dueAt, ticketId, ruleId), with a position map for O(log n) upsert and remove. A seat runner
 * sets one timer for `peek()` and calls `popDue(now)` when it rings, so the work follows the
 * tickets falling due, not the number of open tickets. Pure: the runner owns the clock.
 */

export interface ScheduledDeadline {
  readonly dueAt: number;
  readonly ticket: string;
  readonly rule: string;
}

const keyOf = (ticket: string, rule: string): string => `${ticket}\u0000${rule}`;

interface Node {
  deadline: ScheduledDeadline;
  pos: number;
}

function before(a: ScheduledDeadline, b: ScheduledDeadline): boolean {
  if (a.dueAt !== b.dueAt) return a.dueAt < b.dueAt;
  if (a.ticket !== b.ticket) return a.ticket < b.ticket;
  return a.rule < b.rule;
}

export class DeadlineScheduler {
  private readonly heap: Node[] = [];
  private readonly nodes = new Map<string, Node>();
  private readonly rulesOf = new Map<string, Set<string>>();

  get size(): number {
    return this.heap.length;
  }

  /** Adds a deadline or moves it to a new due time. */
  upsert(deadline: ScheduledDeadline): void {
    const key = keyOf(deadline.ticket, deadline.rule);
    const node = this.nodes.get(key);
    if (node) {
      node.deadline = deadline;
      this.up(node.pos);
      this.down(node.pos);
      return;
    }
    const added: Node = { deadline, pos: this.heap.length };
    this.heap.push(added);
    this.nodes.set(key, added);
    let rules = this.rulesOf.get(deadline.ticket);
    if (!rules) {
      rules = new Set();
      this.rulesOf.set(deadline.ticket, rules);
    }
    rules.add(deadline.rule);
    this.up(added.pos);
  }

  remove(ticket: string, rule: string): boolean {
    const node = this.nodes.get(keyOf(ticket, rule));
    if (!node) return false;
    this.removeAt(node.pos);
    return true;
  }

  /** Removes every deadline of a ticket (it was closed, cancelled or changed state). */
  removeTicket(ticket: string): number {
    const rules = [...(this.rulesOf.get(ticket) ?? [])];
    for (const rule of rules) this.remove(ticket, rule);
    return rules.length;
  }

  /** The earliest open deadline of a ticket, or null when it has none (ms since the epoch). */
  nextDueOf(ticket: string): number | null {
    let next: number | null = null;
    for (const rule of this.rulesOf.get(ticket) ?? []) {
      const node = this.nodes.get(keyOf(ticket, rule));
      if (node && (next === null || node.deadline.dueAt < next)) next = node.deadline.dueAt;
    }
    return next;
  }

  /** The tickets with an open deadline due at or before `limit` (one pass; no order). */
  ticketsDueBy(limit: number): Set<string> {
    const out = new Set<string>();
    for (const node of this.heap) if (node.deadline.dueAt <= limit) out.add(node.deadline.ticket);
    return out;
  }

  peek(): ScheduledDeadline | undefined {
    return this.heap[0]?.deadline;
  }

  /** Removes and returns every deadline with dueAt ≤ now, earliest first. */
  popDue(now: number): ScheduledDeadline[] {
    const due: ScheduledDeadline[] = [];
    while (this.heap.length > 0 && (this.heap[0] as Node).deadline.dueAt <= now) {
      due.push((this.heap[0] as Node).deadline);
      this.removeAt(0);
    }
    return due;
  }

  private removeAt(at: number): void {
    const gone = (this.heap[at] as Node).deadline;
    this.nodes.delete(keyOf(gone.ticket, gone.rule));
    const rules = this.rulesOf.get(gone.ticket);
    rules?.delete(gone.rule);
    if (rules?.size === 0) this.rulesOf.delete(gone.ticket);
    const last = this.heap.pop() as Node;
    if (at === this.heap.length) return;
    this.heap[at] = last;
    last.pos = at;
    this.up(at);
    this.down(last.pos);
  }

  private less(i: number, j: number): boolean {
    return before((this.heap[i] as Node).deadline, (this.heap[j] as Node).deadline);
  }

  private swap(i: number, j: number): void {
    const a = this.heap[i] as Node;
    const b = this.heap[j] as Node;
    this.heap[i] = b;
    this.heap[j] = a;
    b.pos = i;
    a.pos = j;
  }

  private up(i: number): void {
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.less(i, parent)) return;
      this.swap(i, parent);
      i = parent;
    }
  }

  private down(i: number): void {
    const n = this.heap.length;
    for (;;) {
      const left = 2 * i + 1;
      const right = left + 1;
      let smallest = i;
      if (left < n && this.less(left, smallest)) smallest = left;
      if (right < n && this.less(right, smallest)) smallest = right;
      if (smallest === i) return;
      this.swap(i, smallest);
      i = smallest;
    }
  }
}
