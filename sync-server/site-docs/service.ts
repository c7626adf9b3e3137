import type { SiteDocKind, SiteDocRecord } from '../storage/site-doc-types';
import type { AuditLine, SyncStorage } from '../storage/types';
import { formOrderProblem } from './validate';

/**
 * The site documents' server side: only admins publish, a version is checked before it is kept,
 * every version is kept once (a seat re-sending one it published offline is harmless), each
 * publication is audited and fanned out to the site's connected seats; a seat asks for the
 * versions it lacks when it connects.
 */
export interface Publisher {
  user: string;
  role: string;
  sites: readonly string[];
  seat: string;
  device: string;
}

export interface Publication {
  site: string;
  kind: SiteDocKind;
  id: string;
  body: string;
  meta: Record<string, unknown>;
  at: string;
}

export type PublishResult = { ok: true; created: boolean } | { ok: false; code: 'not_allowed' | 'wrong_site' | 'invalid'; reason: string };

export interface SiteDocDeps {
  storage: SyncStorage;
  now: () => Date;
  /** Why the body may not be kept, or null (validate.ts). */
  problem: (kind: SiteDocKind, body: string) => string | null;
  /** Sends the new version to every connected seat of the site. */
  broadcast: (site: string, docs: SiteDocRecord[]) => void;
}

const PUBLISHERS = new Set(['admin']);

export class SiteDocs {
  constructor(private readonly deps: SiteDocDeps) {}

  async publish(who: Publisher, p: Publication): Promise<PublishResult> {
    const audit = (line: Omit<AuditLine, 'at' | 'user' | 'device' | 'seat'>) =>
      this.deps.storage.appendAudit([{ at: this.deps.now().toISOString(), user: who.user, device: who.device, seat: who.seat, ...line }]);
    const refuse = async (code: 'not_allowed' | 'wrong_site' | 'invalid', reason: string): Promise<PublishResult> => {
      await audit({ kind: 'refuse', site: p.site, reason: `publish ${p.kind} ${p.id}: ${reason}` });
      return { ok: false, code, reason };
    };
    if (!who.sites.includes(p.site)) return refuse('wrong_site', `${who.user} does not work for site ${p.site}`);
    if (!PUBLISHERS.has(who.role)) return refuse('not_allowed', `only an admin publishes the ${p.kind}; ${who.user} is a ${who.role}`);
    const problem = this.deps.problem(p.kind, p.body) ?? (p.kind === 'forms' ? formOrderProblem(p.id, p.body, await this.deps.storage.listSiteDocs(p.site, 'forms')) : null);
    if (problem) return refuse('invalid', problem);
    const doc: SiteDocRecord = { site: p.site, kind: p.kind, id: p.id, body: p.body, meta: p.meta, by: who.user, at: p.at };
    const created = await this.deps.storage.putSiteDoc(doc);
    if (!created) {
      // Kept before: a redelivery is fine, another body under the same id (two admins racing for a form version) is not.
      const kept = (await this.deps.storage.listSiteDocs(p.site, p.kind)).find((d) => d.id === p.id);
      if (kept && kept.body !== p.body) return refuse('invalid', `${p.kind} ${p.id} was already published with other content: reload and publish again`);
    }
    if (created) {
      await audit({ kind: p.kind === 'rulebook' ? 'rulebook_published' : 'forms_published', site: p.site, detail: { id: p.id, chars: p.body.length, ...pick(p.meta, ['name', 'note']) } });
      this.deps.broadcast(p.site, [doc]);
    }
    return { ok: true, created };
  }

  /** The versions of the site's documents whose ids are not in `have`. */
  async missing(site: string, have: readonly string[]): Promise<SiteDocRecord[]> {
    const known = new Set(have);
    return (await this.deps.storage.listSiteDocs(site)).filter((d) => !known.has(d.id));
  }
}

function pick(meta: Record<string, unknown>, keys: string[]): Record<string, unknown> {
  return Object.fromEntries(keys.filter((k) => typeof meta[k] === 'string').map((k) => [k, meta[k]]));
}
