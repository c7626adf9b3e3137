/** What an evaluation returns (RULES-FORMAT.md "The output"), plus keys a seat runner needs. */
import type { TicketState } from '../model/ticket';
import type { Channel, SlaLevel } from '../pack/types';

export interface Notification {
  readonly rule: string;
  readonly channel: Channel;
  /** A person id. */
  readonly to: string;
}

export interface Deadline {
  readonly rule: string;
  readonly state: TicketState;
  readonly level: SlaLevel;
  /** `YYYY-MM-DDTHH:mm:ss±hh:mm` in the site's zone; null while the ticket is paused. */
  readonly dueAt: string | null;
  readonly breached: boolean;
}

export interface Banner {
  readonly rule: string;
  readonly level: SlaLevel;
  readonly color: string;
}

export interface RepairSummary {
  readonly id: string;
  readonly no: string | null;
  readonly title: string;
  readonly category: string | null;
  readonly resolvedAt: string;
}

export interface Push {
  readonly rule: string;
  readonly connector: string;
  readonly payload: 'ticket' | 'device_recent_repairs';
  /** The ticket the push is about. */
  readonly ticket: string;
  readonly device?: string;
  readonly records?: readonly RepairSummary[];
}

export interface Task {
  readonly rule: string;
  readonly to: string;
  readonly title: string;
}

export type FiringKind = 'routing' | 'automation' | 'sla';

/** One entry for the ticket's `firings` ledger; two seats that fire the same rule share its key. */
export interface Firing {
  readonly rule: string;
  readonly kind: FiringKind;
  readonly key: string;
}

export interface Evaluation {
  assignee: string | null;
  pool: string | null;
  skipDispatch: boolean;
  priority: string | null;
  /** Extension: routing may set urgency too. */
  urgency: string | null;
  /** Tags rules added, de-duplicated, in firing order. */
  tags: string[];
  /** Routing rules and automations that fired, in order. */
  fired: string[];
  notifications: Notification[];
  deadlines: Deadline[];
  banners: Banner[];
  pushes: Push[];
  tasks: Task[];
  /** Extension: the state after this evaluation (dispatched after a skip_dispatch). */
  state: TicketState;
  /** Extension: ledger entries for every firing, SLA breaches included. */
  firings: Firing[];
  explain: string[];
}

export function emptyEvaluation(state: TicketState): Evaluation {
  return {
    assignee: null, pool: null, skipDispatch: false, priority: null, urgency: null, tags: [], fired: [],
    notifications: [], deadlines: [], banners: [], pushes: [], tasks: [], state, firings: [], explain: [],
  };
}
