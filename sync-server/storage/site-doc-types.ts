/**
 * Site documents: what every seat of a site shares besides tickets — the rulebook and the intake
 * form versions. Each is a grow-only set of versions keyed by a content-derived id, so stores and
 * seats merge by union and every version is kept.
 */
export const SITE_DOC_KINDS = ['rulebook', 'forms'] as const;
export type SiteDocKind = (typeof SITE_DOC_KINDS)[number];

export interface SiteDocRecord {
  site: string;
  kind: SiteDocKind;
  /** Content-derived and unique per (site, kind), e.g. `2026-11-24T09:00:00.000Z~AB~3f2a…`. */
  id: string;
  /** The document text (a rule pack's YAML, a form template's JSON). */
  body: string;
  /** What the seat recorded with it (name, note, counts). */
  meta: Record<string, unknown>;
  /** Who published it (the authenticated user, not what the seat claims). */
  by: string;
  /** When it was published (ISO, the seat's clock). */
  at: string;
}

export interface SiteDocStorage {
  /** Stores a version; an id already stored is kept as it was. True when it was new. */
  putSiteDoc(doc: SiteDocRecord): Promise<boolean>;
  /** The site's stored versions (of one kind, or all), oldest first by (at, id). */
  listSiteDocs(site: string, kind?: SiteDocKind): Promise<SiteDocRecord[]>;
}

export const bySiteDocAge = (a: SiteDocRecord, b: SiteDocRecord): number => a.at.localeCompare(b.at) || a.id.localeCompare(b.id);

/** The id a form version is kept under: versions are numbered, and tickets name theirs. */
export const formVersionId = (version: number): string => `v${version}`;
