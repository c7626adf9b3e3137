import { formVersionSchema, type FormVersion } from '../../../domain';
import { formVersionId, type SiteDocRecord } from '../../../sync-server/storage/site-doc-types';
import type { TicketStore } from '../store';
import type { SeatLink, SiteDocPort } from '../sync/seat-link';
import { formsMetaKey, siteForms, type FormsSource } from './forms-record';

/**
 * The site's form versions as the seat link replicates them. A version is published online only
 * (form-handlers.ts sends it to the server first, which keeps one numbered line), so nothing waits
 * to be sent; versions published on other seats are added in number order and the newest is in use.
 */

export function formsPort(src: FormsSource & { store: TicketStore }, changed: () => void): SiteDocPort {
  return {
    kind: 'forms',
    ids: () => siteForms(src).versions.filter((v) => v.publishedBy !== null).map((v) => formVersionId(v.version)),
    async absorb(docs: readonly SiteDocRecord[]): Promise<number> {
      const doc = siteForms(src);
      const have = new Set(doc.versions.map((v) => v.version));
      const added: FormVersion[] = [];
      for (const d of docs) {
        let parsed;
        try {
          parsed = formVersionSchema.safeParse(JSON.parse(d.body));
        } catch {
          continue;
        }
        if (!parsed.success || have.has(parsed.data.version) || d.id !== formVersionId(parsed.data.version)) continue;
        added.push(parsed.data);
        have.add(parsed.data.version);
      }
      if (added.length === 0) return 0;
      const versions = [...doc.versions, ...added].sort((a, b) => a.version - b.version);
      await src.store.putMeta(formsMetaKey(src.site.id), { ...doc, versions, current: versions[versions.length - 1]!.version });
      changed();
      return added.length;
    },
    unsent: () => [],
    sent: async () => undefined,
    onPublished: () => () => undefined,
  };
}

/** Sends a new form version to the server before the seat keeps it (form-handlers.ts `publishRemote`). */
export function formPublisher(link: SeatLink, clock: () => number): (v: FormVersion) => Promise<void> {
  return (v) => link.publishNow('forms', {
    id: formVersionId(v.version),
    body: JSON.stringify(v),
    meta: { note: v.note, name: v.template.name },
    at: v.publishedAt ?? new Date(clock()).toISOString(),
  });
}
