import { ROLES, type Role } from '../../domain';
import { hashPassword, passwordProblem, randomPassword } from '../auth/passwords';
import { DeliveryAdminError, deliveryAdmin } from '../connectors/admin';
import type { SiteRecord } from '../protocol';
import { makeBackup } from '../ops/backup';
import { collectEvidence, EvidenceScopeError, type EvidenceScope } from '../ops/evidence';
import { evidenceCsv, evidenceHtml } from '../ops/evidence-print';
import { pruneAudit, RetentionError } from '../ops/retention';
import { verifyStore } from '../ops/verify';
import { writeFileAtomic } from '../ops/files';
import { UpdatesAdminError, updatesAdmin } from '../updates/admin';
import type { AuditLine, SeatRecord, SyncStorage, UserRecord } from '../storage/types';

/**
 * The admin operations, shared by the CLI (direct storage, or the running server's admin socket).
 * Bad input throws AdminInputError with a message for the admin (the CLI exits 2).
 */
export class AdminInputError extends Error {}

const ID = /^[a-z0-9][a-z0-9._-]{0,63}$/;

export interface AdminRequest {
  cmd: string;
  args: Record<string, string | undefined>;
}

function need(args: AdminRequest['args'], key: string, what: string): string {
  const v = args[key];
  if (v === undefined || v.trim() === '') throw new AdminInputError(`missing ${what}`);
  return v.trim();
}

/** Who runs a command, as its audit lines record it (`by`; the seat and device for the console). */
export interface AdminActor {
  by: string;
  seat?: string;
  device?: string;
}
const CLI_ACTOR: AdminActor = { by: 'admin-cli' };

export interface AdminContext {
  /** Default: the CLI (`by: 'admin-cli'`). */
  actor?: AdminActor;
  /**
   * Called once the change is stored and audited, right before connections are cut off (revoke-seat,
   * disable-user): the console's own seat answers there, since its connection closes next.
   */
  beforeCutOff?: (event: { kind: 'seat_revoked'; seat: string } | { kind: 'user_disabled'; user: string }, result: unknown) => void;
}

/** What the running server lets the admin service tell it (metrics). */
export interface AdminHooks {
  instance?: string;
  backedUp?: (ok: boolean) => void;
  /** The audit retention period in days (the server's --audit-retention-days): no line younger is pruned. */
  retentionDays?: number;
  /** The running server's connectors, without secrets (`connectors`). */
  connectors?: () => unknown;
}

const isoDay = (v: string | undefined, what: string): string | undefined => {
  if (v === undefined) return undefined;
  if (!/^\d{4}-\d{2}-\d{2}(T[\d:.]+Z?)?$/.test(v) || Number.isNaN(Date.parse(v))) throw new AdminInputError(`${what} "${v}": a date (2026-02-18) or UTC time (2026-02-18T08:00:00Z)`);
  return new Date(Date.parse(v.length === 10 ? `${v}T00:00:00Z` : v)).toISOString();
};

/** 等保三级 asks for at least six months of logs. */
export const DEFAULT_RETENTION_DAYS = 180;

export class AdminService {
  constructor(
    private readonly storage: SyncStorage,
    private readonly now: () => Date = () => new Date(),
    private readonly hooks: AdminHooks = {},
  ) {}

  private audit(line: Omit<AuditLine, 'at'>, by: AdminActor = CLI_ACTOR): Promise<void> {
    return this.storage.appendAudit([{ at: this.now().toISOString(), ...line, detail: { ...(line.detail ?? {}), ...by } }]);
  }

  private async user(id: string): Promise<UserRecord> {
    const u = await this.storage.getUser(id);
    if (!u) throw new AdminInputError(`no user "${id}" (list-users shows who exists)`);
    return u;
  }

  private async password(given: string | undefined): Promise<{ plain: string; generated: boolean }> {
    if (given === undefined) return { plain: randomPassword(), generated: true };
    const problem = passwordProblem(given);
    if (problem) throw new AdminInputError(problem);
    return { plain: given, generated: false };
  }

  async run(req: AdminRequest, ctx: AdminContext = {}): Promise<unknown> {
    const a = req.args;
    const by = ctx.actor ?? CLI_ACTOR;
    switch (req.cmd) {
      case 'add-site': {
        const id = need(a, 'id', 'site id');
        if (!ID.test(id)) throw new AdminInputError(`site id "${id}": lower-case letters, digits, . _ -`);
        const prefix = need(a, 'prefix', '--prefix (1–6 capital letters)');
        if (!/^[A-Z]{1,6}$/.test(prefix)) throw new AdminInputError(`--prefix "${prefix}": 1–6 capital letters`);
        const tz = a.timezone ?? 'Asia/Shanghai';
        try {
          new Intl.DateTimeFormat('en', { timeZone: tz });
        } catch {
          throw new AdminInputError(`--timezone "${tz}" is not an IANA time zone`);
        }
        const site: SiteRecord = { id, name: a.name ?? id, prefix, timezone: tz };
        await this.storage.putSite(site);
        await this.audit({ kind: 'site_added', site: id }, by);
        return site;
      }
      case 'list-sites':
        return this.storage.listSites();
      case 'add-user': {
        const id = need(a, 'id', 'user id');
        if (!ID.test(id)) throw new AdminInputError(`user id "${id}": lower-case letters, digits, . _ -`);
        if (await this.storage.getUser(id)) throw new AdminInputError(`user "${id}" exists already`);
        const role = need(a, 'role', `--role (${ROLES.join(', ')})`) as Role;
        if (!ROLES.includes(role)) throw new AdminInputError(`--role "${role}": one of ${ROLES.join(', ')}`);
        const sites = need(a, 'sites', '--sites (comma-separated site ids)').split(',').map((s) => s.trim()).filter(Boolean);
        for (const s of sites) if (!(await this.storage.getSite(s))) throw new AdminInputError(`no site "${s}" (add-site first)`);
        const pw = await this.password(a.password);
        await this.storage.putUser({ id, name: a.name ?? id, role, sites, password: await hashPassword(pw.plain), disabled: false, createdAt: this.now().toISOString() });
        await this.audit({ kind: 'user_added', user: id, detail: { role, sites } }, by);
        return { id, role, sites, ...(pw.generated ? { password: pw.plain } : {}) };
      }
      case 'disable-user':
      case 'enable-user': {
        const u = await this.user(need(a, 'id', 'user id'));
        const disabled = req.cmd === 'disable-user';
        await this.storage.putUser({ ...u, disabled });
        await this.audit({ kind: disabled ? 'user_disabled' : 'user_enabled', user: u.id }, by);
        if (disabled) {
          ctx.beforeCutOff?.({ kind: 'user_disabled', user: u.id }, { id: u.id, disabled });
          await this.storage.publishAdmin({ kind: 'user_disabled', user: u.id });
        }
        return { id: u.id, disabled };
      }
      case 'reset-password': {
        const u = await this.user(need(a, 'id', 'user id'));
        const pw = await this.password(a.password);
        await this.storage.putUser({ ...u, password: await hashPassword(pw.plain) });
        await this.audit({ kind: 'password_reset', user: u.id }, by);
        return { id: u.id, ...(pw.generated ? { password: pw.plain } : {}) };
      }
      case 'list-users':
        return (await this.storage.listUsers()).map(({ password: _p, ...u }) => u);
      case 'list-seats':
        return (await this.storage.listSeats()).filter((s) => !a.user || s.user === a.user).map(({ tokenHash: _t, ...s }) => s);
      case 'revoke-seat': {
        const key = need(a, 'id', 'seat id or seat code');
        const seats = await this.storage.listSeats();
        const seat: SeatRecord | undefined = seats.find((s) => s.id === key) ?? seats.find((s) => s.code === key.toUpperCase() && !s.revoked);
        if (!seat) throw new AdminInputError(`no seat "${key}" (list-seats shows ids and codes)`);
        await this.storage.updateSeat(seat.id, { revoked: true });
        await this.audit({ kind: 'seat_revoked', seat: seat.id, user: seat.user, device: seat.device }, by);
        const result = { id: seat.id, code: seat.code, revoked: true };
        ctx.beforeCutOff?.({ kind: 'seat_revoked', seat: seat.id }, result);
        await this.storage.publishAdmin({ kind: 'seat_revoked', seat: seat.id });
        return result;
      }
      case 'audit': {
        const n = Number(a.last ?? '50');
        if (!Number.isInteger(n) || n < 1 || n > 100_000) throw new AdminInputError('--last N: 1 to 100000');
        const all: { id: number; line: AuditLine }[] = [];
        for (let after = 0; ; ) {
          const page = await this.storage.readAudit(after, 5_000);
          if (page.length === 0) break;
          all.push(...page);
          if (all.length > n) all.splice(0, all.length - n);
          after = page[page.length - 1]!.id;
        }
        return all;
      }
      case 'set-user': {
        const u = await this.user(need(a, 'id', 'user id'));
        const role = (a.role ?? u.role) as Role;
        if (!ROLES.includes(role)) throw new AdminInputError(`--role "${role}": one of ${ROLES.join(', ')}`);
        const sites = a.sites === undefined ? u.sites : a.sites.split(',').map((x) => x.trim()).filter(Boolean);
        for (const x of sites) if (!(await this.storage.getSite(x))) throw new AdminInputError(`no site "${x}" (add-site first)`);
        if (a.role === undefined && a.sites === undefined) throw new AdminInputError('set-user needs --role and/or --sites');
        await this.storage.putUser({ ...u, role, sites });
        await this.audit({ kind: 'user_changed', user: u.id, detail: { before: { role: u.role, sites: u.sites }, after: { role, sites } } }, by);
        return { id: u.id, role, sites, note: 'connected seats keep the old permissions until they reconnect; revoke-seat cuts them off at once' };
      }
      case 'backup': {
        const out = need(a, 'out', '--out FILE');
        try {
          const r = await makeBackup(this.storage, out, { now: this.now, ...(this.hooks.instance ? { instance: this.hooks.instance } : {}) });
          this.hooks.backedUp?.(true);
          return r;
        } catch (e) {
          this.hooks.backedUp?.(false);
          throw e;
        }
      }
      case 'verify': {
        const r = await verifyStore(this.storage);
        await this.audit({ kind: 'verify_run', detail: { ok: r.ok, problems: r.problems.length + r.more, auditHead: r.audit.head } }, by);
        return r;
      }
      case 'prune-audit': {
        const before = isoDay(need(a, 'before', '--before DATE'), '--before')!;
        const archive = need(a, 'archive', '--archive FILE (the removed lines are written there first)');
        try {
          return await pruneAudit(this.storage, { before, archive, minDays: this.hooks.retentionDays ?? DEFAULT_RETENTION_DAYS, now: this.now });
        } catch (e) {
          throw e instanceof RetentionError ? new AdminInputError(e.message) : e;
        }
      }
      case 'audit-export': {
        const scope: EvidenceScope = { ...(a.ticket ? { ticket: a.ticket } : {}) };
        const from = isoDay(a.from, '--from');
        const to = isoDay(a.to, '--to');
        if (from) scope.from = from;
        if (to) scope.to = to;
        if (!scope.ticket && !scope.from && !scope.to) throw new AdminInputError('audit-export needs --ticket ID|NO and/or --from DATE --to DATE');
        if (!a.csv && !a.html) throw new AdminInputError('audit-export needs --csv FILE and/or --html FILE');
        let evidence;
        try {
          evidence = await collectEvidence(this.storage, scope, this.now);
        } catch (e) {
          throw e instanceof EvidenceScopeError ? new AdminInputError(e.message) : e;
        }
        const check = a.html ? await verifyStore(this.storage) : undefined;
        if (a.csv) writeFileAtomic(a.csv, evidenceCsv(evidence));
        if (a.html) writeFileAtomic(a.html, evidenceHtml(evidence, check));
        await this.audit({ kind: 'audit_exported', detail: { scope, rows: evidence.rows.length } }, by);
        return { scope: evidence.scope, rows: evidence.rows.length, tickets: evidence.tickets, changes: evidence.changes, ...(a.csv ? { csv: a.csv } : {}), ...(a.html ? { html: a.html } : {}), ...(check ? { verified: check.ok } : {}) };
      }
      default: {
        if (req.cmd === 'connectors') {
          if (!this.hooks.connectors) throw new AdminInputError('connectors: only the running server started with --connectors FILE knows them');
          return this.hooks.connectors();
        }
        const delivery = await deliveryAdmin(this.storage, req.cmd, a, this.now, by).catch((e: Error) => {
          throw e instanceof DeliveryAdminError ? new AdminInputError(e.message) : e;
        });
        if (delivery !== undefined) return delivery;
        const update = await updatesAdmin(this.storage, req.cmd, a, this.now, by).catch((e: Error) => {
          throw e instanceof UpdatesAdminError ? new AdminInputError(e.message) : e;
        });
        if (update !== undefined) return update;
        throw new AdminInputError(`unknown command "${req.cmd}"`);
      }
    }
  }
}
