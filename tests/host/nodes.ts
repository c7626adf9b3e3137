import { createLocalNode, type LocalNode } from '../../electron/main/node';

/** The host tests run against the real local node, in the test's temp data folder. */
export function makeNode(dataDir: string): Promise<LocalNode> {
  return createLocalNode({ dataDir, seat: 'AA' });
}
