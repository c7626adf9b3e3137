/**
 * The admin commands a signed-in admin may run from the console over the sync feed
 * (`{t:'admin', rid, cmd, args}`, sync-server/admin/remote.ts). The rest of the admin CLI
 * (backup, verify, prune-audit, audit-export, add-site) writes files on the server or changes the
 * site list: those stay with whoever runs the server. Pure data: the protocol and the console's
 * contract both import it.
 */
export const REMOTE_ADMIN_COMMANDS = [
  'health',
  'list-sites',
  'list-users', 'add-user', 'set-user', 'disable-user', 'enable-user', 'reset-password',
  'list-seats', 'revoke-seat',
  'audit',
  'connectors', 'deliveries', 'dead-letters', 'delivery', 'retry',
] as const;
export type RemoteAdminCommand = (typeof REMOTE_ADMIN_COMMANDS)[number];

/** Commands that change something (audited with the acting admin); the rest only read. */
export const REMOTE_ADMIN_WRITES: readonly RemoteAdminCommand[] = ['add-user', 'set-user', 'disable-user', 'enable-user', 'reset-password', 'revoke-seat', 'retry'];

/** Argument names: lower-case words joined by dashes; values are short strings. */
export const ADMIN_ARG_NAME = /^[a-z][a-z-]{0,31}$/;
export const MAX_ADMIN_ARGS = 16;
export const MAX_ADMIN_ARG_CHARS = 2_000;
