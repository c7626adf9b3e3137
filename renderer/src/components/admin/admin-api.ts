import type { HTMLAttributes } from 'vue';
import { getApi } from '@/api';
import type { AdminCommand, AdminResults } from '@/types';

/**
 * One admin command through the contract's `admin.run`, typed by command (electron/contract/admin.ts).
 * The node sends it to the sync server, which checks the role and runs it; errors are
 * ContractErrors with a message for people.
 */
export async function runAdmin<C extends AdminCommand>(cmd: C, args: Record<string, string> = {}): Promise<AdminResults[C]> {
  // The server answers AdminResults[cmd] (the admin CLI's JSON); the contract carries it as unknown.
  return (await getApi()['admin.run']({ cmd, args })) as AdminResults[C];
}

/** A table row's test id (naive-ui's row-props type lists no data-* attributes, though the DOM takes them). */
export function rowTestId(id: string): HTMLAttributes {
  const attrs: Record<string, string> = { 'data-testid': id };
  return attrs;
}
