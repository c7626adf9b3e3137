/**
 * One evaluation's view of a ticket: conditions read it through EvalScope. Each text field is
 * scanned by the keyword automaton at most once, each instant converted to wall-clock parts once.
 */
import type { CountQuery, EvalScope } from '../conditions/registry';
import type { TicketHistory } from '../history/history';
import { fieldText } from '../model/fields';
import type { Ticket } from '../model/ticket';
import type { CompiledPack } from '../pack/types';
import type { BusinessCalendar } from '../time/calendar';
import { localParts } from '../time/zone';
import type { LocalParts } from '../time/zone';

const NO_HITS: ReadonlySet<number> = new Set();

export class TicketScope implements EvalScope {
  readonly zone: string;
  readonly calendar: BusinessCalendar | null;
  private readonly perField = new Map<string, ReadonlySet<number>>();
  private readonly perList = new Map<readonly string[], ReadonlySet<number>>();
  private readonly locals = new Map<number, LocalParts>();

  constructor(
    readonly pack: CompiledPack,
    readonly ticket: Ticket,
    readonly now: number,
    private readonly history: TicketHistory | null,
  ) {
    this.zone = pack.zone;
    this.calendar = pack.calendar;
  }

  private fieldHits(field: string): ReadonlySet<number> {
    let hits = this.perField.get(field);
    if (!hits) {
      const text = fieldText(this.ticket, field);
      hits = text ? new Set(this.pack.keywords.scan(text)) : NO_HITS;
      this.perField.set(field, hits);
    }
    return hits;
  }

  keywordHits(fields: readonly string[]): ReadonlySet<number> {
    let hits = this.perList.get(fields);
    if (!hits) {
      if (fields.length === 1) {
        hits = this.fieldHits(fields[0] as string);
      } else {
        const union = new Set<number>();
        for (const field of fields) for (const id of this.fieldHits(field)) union.add(id);
        hits = union;
      }
      this.perList.set(fields, hits);
    }
    return hits;
  }

  keywordField(fields: readonly string[], id: number): string | null {
    return fields.find((field) => this.fieldHits(field).has(id)) ?? null;
  }

  local(instant: number): LocalParts {
    let parts = this.locals.get(instant);
    if (!parts) {
      parts = localParts(this.zone, instant);
      this.locals.set(instant, parts);
    }
    return parts;
  }

  count(query: CountQuery): number {
    if (this.history) return this.history.counts.count(this.ticket, query);
    const t = this.ticket;
    const inWindow = (query.fromInclusive ? t.createdAt >= query.from : t.createdAt > query.from) && t.createdAt <= query.to;
    return t.state !== 'cancelled' && inWindow && query.same.every((f) => fieldText(t, f).trim() !== '') ? 1 : 0;
  }
}
