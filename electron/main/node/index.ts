export { createLocalNode, LAST_SYNC_META, type LocalNode, type LocalNodeOptions, type SeedOptions } from './local-node';
export type { NodeListener } from './events';
export { ticketHistory } from './history';
