import { z } from 'zod';
import { ADMIN_ARG_NAME, MAX_ADMIN_ARG_CHARS, MAX_ADMIN_ARGS, REMOTE_ADMIN_COMMANDS, type RemoteAdminCommand } from '../../sync-server/admin/remote-commands';
import type { Role } from '../../domain';

/**
 * The admin console's call (issues 8 and 9), part of the one contract in ipc.ts. The node passes
 * the command to the sync server (sync-server/admin/remote.ts), which checks the caller is an
 * admin and runs it: so it needs a signed-in admin on a seat that is online. The answers are the
 * admin CLI's, typed per command below (`AdminResults`).
 */
export const adminCalls = {
  'admin.run': z.object({
    cmd: z.enum(REMOTE_ADMIN_COMMANDS),
    args: z
      .record(z.string().regex(ADMIN_ARG_NAME), z.string().max(MAX_ADMIN_ARG_CHARS))
      .refine((a) => Object.keys(a).length <= MAX_ADMIN_ARGS, `at most ${MAX_ADMIN_ARGS} arguments`)
      .default({}),
  }),
} as const;

export type AdminCommand = RemoteAdminCommand;

export interface AdminUser {
  id: string;
  name: string;
  role: Role;
  sites: string[];
  disabled: boolean;
  createdAt: string;
}
export interface AdminSeat {
  id: string;
  user: string;
  device: string;
  code: string;
  createdAt: string;
  lastSeen: string;
  revoked: boolean;
}
export interface AdminSite {
  id: string;
  name: string;
  prefix: string;
  timezone: string;
}
export interface AdminConnector {
  id: string;
  type: string;
  honoursIdempotencyKey: boolean;
  attempts: number;
}
export interface AdminDelivery {
  key: string;
  ticket: string;
  no: string;
  outbox: string;
  channel: string;
  connector: string | null;
  to: string;
  state: 'queued' | 'sending' | 'sent' | 'dead';
  outcome?: 'failed' | 'unknown';
  attempts: number;
  updatedAt: string;
  sentAt?: string;
  nextAt?: string;
  error?: string;
  statusNotWritten?: string;
}
export interface AdminHealth {
  ok: boolean;
  instance: string;
  storage: string;
  tls: boolean;
  connections: number;
  uptimeS: number;
  startedAt: string;
  rssMb: number;
}
export interface AdminAuditEntry {
  id: number;
  line: { at: string; kind: string; user?: string; device?: string; seat?: string; site?: string; ticket?: string; reason?: string; detail?: Record<string, unknown> };
}

/** What each command answers (the admin CLI's JSON). */
export interface AdminResults {
  health: AdminHealth;
  'list-sites': AdminSite[];
  'list-users': AdminUser[];
  'add-user': { id: string; role: Role; sites: string[]; password?: string };
  'set-user': { id: string; role: Role; sites: string[]; note: string };
  'disable-user': { id: string; disabled: boolean; self?: boolean; note?: string };
  'enable-user': { id: string; disabled: boolean };
  'reset-password': { id: string; password?: string };
  'list-seats': AdminSeat[];
  'revoke-seat': { id: string; code: string; revoked: true; self?: boolean; note?: string };
  audit: AdminAuditEntry[];
  connectors: AdminConnector[];
  deliveries: { counts: Record<string, number>; deliveries: AdminDelivery[] };
  'dead-letters': AdminDelivery[];
  delivery: AdminDelivery & { vars: Record<string, unknown>; createdAt: string; reportPending: boolean };
  retry: AdminDelivery;
}

export interface AdminCallOutputs {
  /** The command's answer: `AdminResults[cmd]`. */
  'admin.run': unknown;
}
