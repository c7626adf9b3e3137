import { createLocalNode, type LocalNode } from '../../electron/main/node';

/**
 * The host tests run against the real local node, in the test's temp data folder. Without the rule
 * runner: they test the transports, and rules would route their tickets by the time of day.
 */
export function makeNode(dataDir: string): Promise<LocalNode> {
  return createLocalNode({ dataDir, seat: 'AA', rules: false });
}
