export type { TicketStore, TicketDoc, ChangeMessage, ChangeInfo, TicketEdit, ImportOptions, OutboxEntry, RowQuery, RowSort } from './ticket-store';
export { StoreError } from './ticket-store';
export { openPouchTicketStore, openMemoryTicketStore, type OpenStoreOptions, type StoreOptions } from './open';
export { memoryBacking, type MemoryBacking } from './memory-records';
export { DocCache } from './doc-cache';
export { decodeMessage, toTicket } from './ticket-doc';
