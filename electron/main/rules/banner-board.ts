import type { TicketRow } from '../../../domain';
import type { Banner, Deadline } from '../../../rules';
import type { RuleBanner } from '../../contract/ipc';

/** What can be shown at once: the console lists the worst first and says how many there are. */
export const BANNER_LIMIT = 100;
const SEVERITY: Record<string, number> = { red: 0, orange: 1, yellow: 2, blue: 3 };

/** The seat's SLA banners, per ticket, replaced whole whenever the ticket is evaluated. */
export class BannerBoard {
  private readonly byTicket = new Map<string, RuleBanner[]>();

  constructor(private readonly onChange: () => void) {}

  /** Sets a ticket's banners from an evaluation (`labels`: the SLA items' labels by id); says whether anything changed. */
  set(
    row: Pick<TicketRow, 'id' | 'no' | 'title' | 'state'>, banners: readonly Banner[], deadlines: readonly Deadline[],
    labels?: ReadonlyMap<string, string>,
  ): boolean {
    const next: RuleBanner[] = banners.map((b) => {
      const label = labels?.get(b.rule);
      return {
        ticketId: row.id, no: row.no, title: row.title, state: row.state, rule: b.rule, ...(label !== undefined ? { label } : {}),
        level: b.level, color: b.color, dueAt: deadlines.find((d) => d.rule === b.rule)?.dueAt ?? null,
      };
    });
    const before = this.byTicket.get(row.id) ?? [];
    if (JSON.stringify(before) === JSON.stringify(next)) return false;
    if (next.length) this.byTicket.set(row.id, next);
    else this.byTicket.delete(row.id);
    this.onChange();
    return true;
  }

  remove(id: string): void {
    if (this.byTicket.delete(id)) this.onChange();
  }

  clear(): void {
    if (this.byTicket.size === 0) return;
    this.byTicket.clear();
    this.onChange();
  }

  of(id: string): readonly RuleBanner[] {
    return this.byTicket.get(id) ?? [];
  }

  /** The tickets that have a banner now. */
  ticketIds(): IterableIterator<string> {
    return this.byTicket.keys();
  }

  /** The worst first (red before yellow), then the longest overdue; at most `limit`. */
  list(limit = BANNER_LIMIT): { banners: RuleBanner[]; total: number } {
    const all = [...this.byTicket.values()].flat();
    all.sort((a, b) => (SEVERITY[a.color] ?? 9) - (SEVERITY[b.color] ?? 9) || (a.dueAt ?? '').localeCompare(b.dueAt ?? '') || a.no.localeCompare(b.no));
    return { banners: all.slice(0, limit), total: all.length };
  }
}
