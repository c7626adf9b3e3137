/**
 * The rules' part of the contract's outputs (electron/contract/ipc.ts re-exports them): SLA
 * banners and notifications, why the rules did what they did, the rulebook's versions, a draft's
 * dry run and who is on duty now.
 */
import type { TicketState } from '../../domain';

export type SlaLevel = 'warn' | 'breach' | 'escalate';

/** A breached SLA with a banner on this seat (e.g. the red banner of `accept-15m`). */
export interface RuleBanner {
  ticketId: string;
  no: string;
  title: string;
  state: TicketState;
  /** The SLA item's id in the rule pack (e.g. `accept-15m`). */
  rule: string;
  /** What the SLA item means, for people, filled by the node (e.g. "待受理超过 15 分钟"); show `label ?? rule`. */
  label?: string;
  level: SlaLevel;
  /** red | orange | yellow | blue */
  color: string;
  /** When the SLA fell due (ISO). */
  dueAt: string | null;
}

/** The worst banners first (at most 100) and how many there are in all. */
export interface RuleBannerList {
  banners: RuleBanner[];
  total: number;
}

/** A desktop notification a rule raised on this seat. */
export interface RuleNotification {
  /** The firing's ledger key (the same on every seat). */
  id: string;
  ticketId: string;
  no: string;
  rule: string;
  title: string;
  body: string;
  /** Person ids it is addressed to; a console shows it when its signed-in person is one of them. */
  to: string[];
  at: string;
}

export interface ExplainedFiring {
  key: string;
  rule: string;
  version: number;
  /** An SLA firing's item in words, when that version of the rule is in force (e.g. "待受理超过 15 分钟"). */
  label?: string;
  kind: 'routing' | 'sla' | 'automation' | 'rule';
  event: string;
  at: string;
  seat: string;
  /** Why, for people: Chinese, with people's names. */
  lines: string[];
  tasks: { to: string; toName: string; title: string }[];
  /** `statusAt`: when the connector last reported the status (ISO), e.g. the SMS was sent. */
  outbox: { key: string; channel: string; to: string; status: string; statusAt: string | null }[];
}

export interface ExplainedDeadline {
  rule: string;
  /** What the SLA item means, for people, filled by the node (e.g. "已派单 30 分钟未接单"); show `label ?? rule`. */
  label?: string;
  state: TicketState;
  level: SlaLevel;
  /** ISO, null while paused. */
  dueAt: string | null;
  breached: boolean;
  paused: boolean;
  banner: string | null;
}

export interface TicketExplanation {
  ticketId: string;
  no: string;
  rulebook: { version: number; name: string | null };
  /** Oldest first. */
  firings: ExplainedFiring[];
  /** The SLA clocks of the ticket's state now. */
  deadlines: ExplainedDeadline[];
  /** What the rules say about the ticket now, for people. */
  now: string[];
}

export interface RulebookVersion {
  /** 0 is the built-in seed pack, in force until an admin publishes. */
  version: number;
  id: string;
  name: string | null;
  publishedBy: string | null;
  publishedByName: string | null;
  publishedAt: string | null;
  seat: string | null;
  note: string | null;
  rules: { routing: number; sla: number; automations: number };
}

export interface RulebookView {
  current: RulebookVersion;
  yaml: string;
  /** Newest first. */
  versions: RulebookVersion[];
}

/** One ticket the draft would have treated differently (`rulebook.simulate`). */
export interface RuleSimulationChange {
  ticketId: string;
  no: string;
  createdAt: string;
  title: string;
  /** What would differ, for people (Chinese, with people's names): "处理人：王建国 → 林师傅". */
  changes: string[];
  /** Routing rules and `on: created` automations the draft fires on it. */
  fired: string[];
}

/** Draft vs. the version in force over the same tickets. */
export interface RuleSimulationTally {
  draft: number;
  current: number;
}

export interface RuleSimulation {
  /** The window: tickets created in (from, to], ISO. */
  from: string;
  to: string;
  /** The version in force the draft is compared with. */
  against: { version: number; name: string | null };
  replayed: number;
  /** How many tickets the draft treats differently; `changed` lists the first 200, oldest first. */
  changedTotal: number;
  changed: RuleSimulationChange[];
  /** Changed tickets per aspect: assignee, pool, priority, tags, skipDispatch, notifications, tasks, pushes, sla. */
  counts: Record<string, number>;
  /** Firings per rule (routing, automation, SLA breach), rules of both versions. */
  rules: (RuleSimulationTally & { rule: string; kind: 'routing' | 'automation' | 'sla' })[];
  /** Notifications that would be sent, per channel (sms, wecom, email, webhook, desktop). */
  notifications: (RuleSimulationTally & { channel: string })[];
  /** Tickets with at least one SLA breach or escalation. */
  breachedTickets: RuleSimulationTally;
  /** Whether the packs could be judged on projection rows, or documents were read (description, form answers). */
  source: 'rows' | 'documents';
  elapsedMs: number;
}

/** One person on duty now: the shift that covers the node's clock and when it ends. */
export interface OnDutyPerson {
  id: string;
  name: string;
  /** "20:00–08:00" in the site's time zone. */
  shift: string;
  /** When the shift ends, ISO with the site's offset. */
  until: string;
  /** Open tickets assigned to them (from the seat's rows). */
  load: number;
}

export interface OnDutyRoster {
  roster: string;
  /** Pools whose routing rules assign to this roster. */
  pools: string[];
  people: OnDutyPerson[];
}

export interface OnDutyView {
  /** The node's clock the rosters were read at, ISO with the site's offset. */
  at: string;
  timezone: string;
  rosters: OnDutyRoster[];
}

