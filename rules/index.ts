/**
 * Closeloop's rule engine — the pure core a seat (electron/main), the server and the console
 * import. No I/O and no clock: `now` is always an argument. File loading lives in rules/node,
 * the command line in rules/cli.
 */

// Packs: parse, validate, compile, store.
export { parsePack, compilePack } from './pack/compile';
export type { CompileOptions } from './pack/compile';
export { packToData } from './pack/to-data';
export { PackError } from './pack/errors';
export type { PackIssue, PackIssueCode } from './pack/errors';
export { LIMITS } from './pack/schema';
export type { PackData } from './pack/schema';
export type { CompiledPack, RoutingRule, SlaRule, Automation, Channel, SlaLevel } from './pack/types';
export { parseCalendarFile } from './calendars/calendar-file';
export type { CalendarFile } from './calendars/calendar-file';

// Condition leaves (extension point).
export { DEFAULT_LEAVES } from './conditions/leaves/index';
export { createLeafRegistry, defineLeaf } from './conditions/registry';
export type { LeafDefinition, LeafRegistry, CompiledLeaf, EvalScope } from './conditions/registry';

// Tickets.
export { parseTicket, fromInput, withChanges, TicketError, TICKET_STATES, MILESTONES } from './model/ticket';
export type { Ticket, TicketInput, TicketState, Pause } from './model/ticket';

// Evaluation.
export { evaluate, EvaluateError } from './engine/evaluate';
export type { EvaluateOptions } from './engine/evaluate';
export type { Evaluation, Notification, Deadline, Banner, Push, Task, Firing } from './engine/output';
export { TicketHistory } from './history/history';
export { CountIndex } from './history/count-index';
export { RepairLog } from './history/repair-log';

// Ledger and outbox keys.
export { firingKey, parseEvent, eventName } from './ledger/firing';
export type { EvalEvent, FiringKeyParts } from './ledger/firing';
export { outboxEntries, notificationKey, pushKey, OUTGOING_CHANNELS } from './ledger/outbox';
export type { OutboxEntry } from './ledger/outbox';

// SLA clocks and the scheduler keyed by due time.
export { readClock } from './sla/clock';
export { DeadlineScheduler } from './sla/scheduler';
export type { ScheduledDeadline } from './sla/scheduler';
export { pendingDeadlines } from './sla/schedule';

// Dry run.
export { simulate, Simulation } from './simulate/simulate';
export type { SimulateOptions, SimulationReport, TicketChange, Difference, RuleTally, SideTally } from './simulate/simulate';

// Time (site zone, calendars) and deterministic picks.
export { localParts, toInstant, formatInZone, startOfLocalDay, isValidZone } from './time/zone';
export { parseInstant } from './time/instant';
export { BusinessCalendar } from './time/calendar';
export { parseDuration } from './time/duration';
export { fnv1a32, pickFor } from './people/pick';
