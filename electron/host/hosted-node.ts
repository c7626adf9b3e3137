import type { LocalNode } from '../main/node';

/** What a transport needs of the local node: its handlers and its events. */
export type HostedNode = Pick<LocalNode, 'handlers' | 'subscribe'>;
