/**
 * The types the console works with: the contract's calls and outputs, and the domain's ticket,
 * form and site shapes. Everything above this layer imports types from here.
 */
export type {
  Api, CallName, CallInput, CallOutput, ContractErrorBody, ErrorCode, EventName, Events,
  HistoryEntry, NodeStatus, SyncLinkStatus, Session, SiteView, TicketQuery, TicketView,
  ExplainedDeadline, ExplainedFiring, NodeClock, OnDutyPerson, OnDutyRoster, OnDutyView, RuleBanner, RuleBannerList, RuleNotification,
  RulebookVersion, RulebookView, RuleSimulation, RuleSimulationChange, TicketExplanation, RowSla, TicketPage, TicketQueues,
  FormsView, FormVersionInfo, RelatedReason, RelatedTicket, RelatedTickets,
} from '../../../electron/contract/ipc';
export type {
  DrillRow, MetricsFreshness, MetricsOverview, MetricsStuck, MetricsTickets, MetricsTrends, StuckRow,
} from '../../../electron/contract/metrics';
export type { PeriodMetrics, StuckFilter, Trends } from '../../../domain/metrics';
export type {
  AdminAuditEntry, AdminCommand, AdminConnector, AdminDelivery, AdminHealth, AdminResults, AdminSeat, AdminSite, AdminUser,
} from '../../../electron/contract/admin';
export type { AttachmentAdded, AttachmentData, AttachmentUpload } from '../../../electron/contract/attachments';
export type { AttachmentRef } from '../../../domain';
export type {
  ActionId, FieldGroup, FieldType, FormAnswers, FormDraft, FormField, FormProblem, FormTemplate, FormValue, Milestone, Role,
  SiteInfo, SitePerson, Stage, StageStatus, Ticket, TicketRow, TicketState, TransitionDef,
} from '../../../domain';

/** Who the list shows: every ticket, the signed-in person's, or nobody's yet. */
export type ListScope = 'all' | 'mine' | 'unassigned';

export type Locale = 'zh-CN' | 'en';

/** How the console reaches its local node: Electron IPC is always up; the WebSocket can drop. */
export type ConnectionState = 'connecting' | 'connected' | 'disconnected';
