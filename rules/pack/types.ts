/** A compiled rule pack: validated, cross-checked, with conditions compiled and keywords indexed. */
import type { Condition } from '../conditions/tree';
import type { KeywordDictionary } from '../keywords/matcher';
import type { TicketState } from '../model/ticket';
import type { Directory } from '../people/directory';
import type { Shift } from '../people/roster';
import type { BusinessCalendar } from '../time/calendar';
import type { PackData } from './schema';

export const CHANNELS = ['sms', 'wecom', 'email', 'webhook', 'desktop'] as const;
export type Channel = (typeof CHANNELS)[number];

export type Recipient =
  | { readonly kind: 'assignee' }
  | { readonly kind: 'user'; readonly id: string }
  | { readonly kind: 'role'; readonly role: string; readonly area: string | null }
  | { readonly kind: 'team'; readonly team: string }
  | { readonly kind: 'roster'; readonly roster: string };

export type Assign =
  | { readonly kind: 'user'; readonly id: string }
  | { readonly kind: 'team'; readonly team: string }
  | { readonly kind: 'roster'; readonly roster: string };

export interface NotifySpec {
  readonly channel: Channel;
  readonly to: Recipient;
}

export interface PushSpec {
  readonly connector: string;
  readonly payload: 'ticket' | 'device_recent_repairs';
  readonly limit: number;
}

export interface TaskSpec {
  readonly to: Recipient;
  readonly title: string;
}

interface RuleBase {
  readonly id: string;
  /** Bump when a rule's meaning changes; part of the firing key. Default 1. */
  readonly version: number;
  readonly when: Condition | null;
}

export interface RoutingRule extends RuleBase {
  readonly requiredKeywords: readonly number[] | null;
  readonly assign: Assign | null;
  readonly pool: string | null;
  readonly priority: string | null;
  readonly urgency: string | null;
  readonly skipDispatch: boolean | null;
  readonly tags: readonly string[];
  readonly notify: readonly NotifySpec[];
  readonly stop: boolean;
}

export type SlaLevel = 'warn' | 'breach' | 'escalate';

export interface SlaRule extends RuleBase {
  readonly state: TicketState;
  readonly after: string;
  readonly afterMs: number;
  readonly business: boolean;
  readonly level: SlaLevel;
  readonly banner: string | null;
  readonly notify: readonly NotifySpec[];
}

export type Trigger =
  | { readonly kind: 'created' }
  | { readonly kind: 'updated' }
  | { readonly kind: 'transition'; readonly to: TicketState }
  | { readonly kind: 'daily' };

export interface Automation extends RuleBase {
  readonly on: Trigger;
  readonly tags: readonly string[];
  readonly notify: readonly NotifySpec[];
  readonly task: TaskSpec | null;
  readonly pushes: readonly PushSpec[];
}

/** Routing rules by the keywords they need, so a ticket only tries rules whose keywords occur. */
export interface RoutingIndex {
  /** keyword id → indexes of routing rules that need it (one of their required keywords). */
  readonly byKeyword: readonly (readonly number[])[];
  /** Indexes of routing rules that need no keyword. */
  readonly always: readonly number[];
}

export interface CompiledPack {
  readonly file: string;
  /** The validated pack as plain data (what `packToData` returns). */
  readonly data: PackData;
  readonly zone: string;
  readonly calendar: BusinessCalendar | null;
  readonly directory: Directory;
  readonly rosters: ReadonlyMap<string, readonly Shift[]>;
  readonly routing: readonly RoutingRule[];
  readonly routingIndex: RoutingIndex;
  readonly sla: readonly SlaRule[];
  readonly automations: readonly Automation[];
  readonly keywords: KeywordDictionary;
  /** Every field a keywords leaf of this pack searches, in a fixed order. */
  readonly keywordFields: readonly string[];
  /** Thresholds of the 7 stage gaps in ms, e.g. created_assigned → 7200000. */
  readonly breakpoints: Readonly<Record<string, number>>;
}
