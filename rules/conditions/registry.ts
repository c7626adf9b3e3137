/**
 * The condition leaf registry. A leaf is a name, a zod schema for its body and a compiler that
 * turns the body into a predicate. The evaluator only knows `all`, `any`, `not` and "a leaf", so
 * adding a leaf means adding a definition here — the evaluator does not change (the model is
 * json-rules-engine's operator registry).
 */
import type { z } from 'zod';
import type { KeywordDictionary } from '../keywords/matcher';
import type { Ticket } from '../model/ticket';
import type { IssueList, PathSegment } from '../pack/errors';
import type { BusinessCalendar } from '../time/calendar';
import type { LocalParts } from '../time/zone';

/** How a `count` leaf asks the history how many tickets share some fields in a window. */
export interface CountQuery {
  readonly same: readonly string[];
  /** Window start in epoch ms, exclusive unless `fromInclusive`. */
  readonly from: number;
  readonly fromInclusive: boolean;
  /** Window end in epoch ms, inclusive. */
  readonly to: number;
}

/** What a leaf may read while a ticket is evaluated. Caches live for one evaluation. */
export interface EvalScope {
  readonly ticket: Ticket;
  readonly now: number;
  readonly zone: string;
  readonly calendar: BusinessCalendar | null;
  /** Keyword ids found in any of `fields` (each field scanned at most once per evaluation). */
  keywordHits(fields: readonly string[]): ReadonlySet<number>;
  /** The first of `fields` in which keyword `id` occurs, or null. */
  keywordField(fields: readonly string[], id: number): string | null;
  local(instant: number): LocalParts;
  /** Tickets of this site sharing `same` with this one in the window; this ticket counted once. */
  count(query: CountQuery): number;
}

export interface CompiledLeaf {
  readonly kind: string;
  test(scope: EvalScope): boolean;
  /** Why the leaf held, for explain lines (only called when it held). */
  explain(scope: EvalScope): string;
  /** The leaf in words, e.g. for "not (…)". */
  describe(): string;
  /**
   * Keyword ids of which at least one must occur for this leaf to hold, or null. Lets routing skip
   * rules whose keywords are absent without evaluating them (cost follows matches, not rules).
   */
  readonly requiredKeywords: readonly number[] | null;
}

export interface CompileContext {
  readonly keywords: KeywordDictionary;
  /** Every field some keywords leaf searches (filled while compiling). */
  readonly keywordFields: Set<string>;
  readonly zone: string;
  readonly calendar: BusinessCalendar | null;
  readonly issues: IssueList;
}

export interface LeafDefinition<Body = unknown> {
  readonly name: string;
  readonly schema: z.ZodType<Body>;
  /** Compiles a validated body; reports context problems (e.g. no calendar) to ctx.issues at `path`. */
  compile(body: Body, ctx: CompileContext, path: readonly PathSegment[]): CompiledLeaf;
}

export type LeafRegistry = ReadonlyMap<string, LeafDefinition>;

/** Turns a typed definition into a registry entry (the body type is checked by its own schema). */
export function defineLeaf<Body>(definition: LeafDefinition<Body>): LeafDefinition {
  return definition as unknown as LeafDefinition;
}

export function createLeafRegistry(definitions: readonly LeafDefinition[]): LeafRegistry {
  const registry = new Map<string, LeafDefinition>();
  for (const definition of definitions) {
    if (['all', 'any', 'not'].includes(definition.name)) throw new Error(`"${definition.name}" is reserved`);
    if (registry.has(definition.name)) throw new Error(`leaf "${definition.name}" registered twice`);
    registry.set(definition.name, definition);
  }
  return registry;
}
