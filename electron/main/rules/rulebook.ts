import { createHash } from 'node:crypto';
import { personName, type SitePerson } from '../../../domain';
import { parsePack, type CalendarFile, type CompiledPack } from '../../../rules';
import type { RulebookVersion, RulebookView } from '../../contract/ipc';
import type { TicketStore } from '../store';
import { packViews, type PackViews } from './pack-views';

/**
 * The site's rulebook: every published rule pack version with who published it, when and where,
 * kept as store records. Built to replicate as a document later: versions form a grow-only map
 * keyed by a content-derived id (`publishedAt~seat~sha`), so two seats' versions merge by union,
 * and the version in force is the latest by (publishedAt, id) — the same answer on every seat.
 * Until an admin publishes, the built-in seed pack (version 0) is in force.
 *
 *   meta `rulebook`            { versions: [{ id, publishedBy, publishedAt, seat, name, note, sha256, rules }] }
 *   meta `rulebook.pack.<id>`  the pack's YAML text, written before the index names it
 */
export const RULEBOOK_META = 'rulebook';
/** Ids of versions published on this seat that the sync server has not confirmed yet. */
export const UNSENT_META = 'rulebook.unsent';
export const packMeta = (id: string) => `rulebook.pack.${id}`;
export const RULEBOOK_FILE = 'rulebook.yaml';

export interface RulebookSource {
  /** The built-in pack (rules/packs/seed.yaml). */
  seed: { text: string; file: string };
  /** Shared calendars a pack may `include` (rules/calendars). */
  calendars: Record<string, CalendarFile>;
}

interface StoredVersion {
  id: string;
  publishedBy: string;
  publishedAt: string;
  seat: string;
  name: string | null;
  note: string | null;
  sha256: string;
  rules: RulebookVersion['rules'];
}

interface RulebookIndex {
  versions: StoredVersion[];
}

/** The pack in force, compiled, with the views the runner evaluates. */
export interface ActiveRulebook {
  version: number;
  id: string;
  name: string | null;
  yaml: string;
  pack: CompiledPack;
  views: PackViews;
}

const counts = (p: CompiledPack): RulebookVersion['rules'] => ({ routing: p.routing.length, sla: p.sla.length, automations: p.automations.length });
const packName = (p: CompiledPack): string | null => (typeof p.data.name === 'string' ? p.data.name : null);
const byAge = (a: StoredVersion, b: StoredVersion) => a.publishedAt.localeCompare(b.publishedAt) || a.id.localeCompare(b.id);

export class Rulebook {
  private active: ActiveRulebook;
  private readonly seedInfo: RulebookVersion;
  private readonly listeners = new Set<(active: ActiveRulebook) => void>();
  private readonly publishedListeners = new Set<() => void>();
  private publishing: Promise<unknown> = Promise.resolve();

  private constructor(
    private readonly store: TicketStore,
    private readonly source: RulebookSource,
    private readonly people: readonly SitePerson[],
    seed: ActiveRulebook,
  ) {
    this.seedInfo = { version: 0, id: 'seed', name: seed.name, publishedBy: null, publishedByName: null, publishedAt: null, seat: null, note: null, rules: counts(seed.pack) };
    this.active = seed;
    // The latest version that still compiles (a calendar it includes could have gone missing).
    const versions = this.sorted();
    for (let i = versions.length - 1; i >= 0; i--) {
      const v = versions[i] as StoredVersion;
      const yaml = store.meta<string>(packMeta(v.id));
      if (yaml === undefined) continue;
      try {
        this.active = this.compile(yaml, i + 1, v.id);
        break;
      } catch {
        // keep looking: an older version stays in force
      }
    }
  }

  /** Opens the rulebook over the seat's store; the seed pack must compile. */
  static open(store: TicketStore, source: RulebookSource, people: readonly SitePerson[]): Rulebook {
    const seed = parsePack(source.seed.text, { file: source.seed.file, calendars: source.calendars });
    return new Rulebook(store, source, people, { version: 0, id: 'seed', name: packName(seed), yaml: source.seed.text, pack: seed, views: packViews(seed) });
  }

  current(): ActiveRulebook {
    return this.active;
  }

  onChange(listener: (active: ActiveRulebook) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Compiles a draft; throws the engine's PackError (file, rule, path) when it is not valid. */
  validate(yaml: string): CompiledPack {
    return parsePack(yaml, { file: RULEBOOK_FILE, calendars: this.source.calendars });
  }

  /** Validates, then keeps the draft as the newest version and puts it in force. One at a time. */
  publish(yaml: string, by: SitePerson, at: number, note?: string): Promise<ActiveRulebook> {
    const run = this.publishing.then(() => this.publishNow(yaml, by, at, note));
    this.publishing = run.catch(() => undefined);
    return run;
  }

  private async publishNow(yaml: string, by: SitePerson, at: number, note?: string): Promise<ActiveRulebook> {
    const pack = this.validate(yaml);
    const sha256 = createHash('sha256').update(yaml).digest('hex');
    const publishedAt = new Date(at).toISOString();
    const id = `${publishedAt}~${this.store.seat}~${sha256.slice(0, 12)}`;
    const entry: StoredVersion = { id, publishedBy: by.id, publishedAt, seat: this.store.seat, name: packName(pack), note: note?.trim() || null, sha256, rules: counts(pack) };
    await this.store.putMeta(packMeta(id), yaml);
    await this.store.putMeta(RULEBOOK_META, { versions: [...this.sorted(), entry].sort(byAge) } satisfies RulebookIndex);
    await this.store.putMeta(UNSENT_META, [...this.unsentIds(), id]);
    const version = this.sorted().findIndex((v) => v.id === id) + 1;
    if (version === this.sorted().length) {
      this.active = { version, id, name: entry.name, yaml, pack, views: packViews(pack) };
      for (const l of this.listeners) l(this.active);
    }
    for (const l of this.publishedListeners) l();
    return this.active;
  }

  // --- replication through the sync server (electron/main/sync/seat-link.ts) ---

  /** Called after a local publication: the seat link sends it to the server. */
  onPublished(listener: () => void): () => void {
    this.publishedListeners.add(listener);
    return () => this.publishedListeners.delete(listener);
  }

  /** Ids of every version this seat holds. */
  ids(): string[] {
    return this.sorted().map((v) => v.id);
  }

  /** Versions published here that the server has not confirmed, as the server takes them. */
  unsent(): { id: string; body: string; meta: Record<string, unknown>; at: string }[] {
    const byId = new Map(this.sorted().map((v) => [v.id, v]));
    return this.unsentIds().flatMap((id) => {
      const v = byId.get(id);
      const yaml = this.store.meta<string>(packMeta(id));
      return v && yaml !== undefined ? [{ id, body: yaml, at: v.publishedAt, meta: { name: v.name, note: v.note, seat: v.seat, sha256: v.sha256, rules: v.rules } }] : [];
    });
  }

  /** The server keeps this version now (or refused it for good: it stays local, and is not sent again). */
  async sent(id: string): Promise<void> {
    await this.store.putMeta(UNSENT_META, this.unsentIds().filter((x) => x !== id));
  }

  /**
   * Takes versions published on other seats (via the server). One that does not compile here is
   * skipped (the previous rulebook stays in force); the latest by (publishedAt, id) is in force.
   * Returns how many were new.
   */
  absorb(docs: readonly { id: string; body: string; meta: Record<string, unknown>; by: string; at: string }[]): Promise<number> {
    const run = this.publishing.then(() => this.absorbNow(docs));
    this.publishing = run.catch(() => undefined);
    return run;
  }

  private async absorbNow(docs: readonly { id: string; body: string; meta: Record<string, unknown>; by: string; at: string }[]): Promise<number> {
    const known = new Set(this.ids());
    const added: StoredVersion[] = [];
    for (const d of docs) {
      if (known.has(d.id)) continue;
      let pack: CompiledPack;
      try {
        pack = this.validate(d.body);
      } catch {
        continue;
      }
      const str = (k: string) => (typeof d.meta[k] === 'string' ? (d.meta[k] as string) : null);
      await this.store.putMeta(packMeta(d.id), d.body);
      added.push({
        id: d.id, publishedBy: d.by, publishedAt: d.at, seat: str('seat') ?? '', name: packName(pack), note: str('note'),
        sha256: createHash('sha256').update(d.body).digest('hex'), rules: counts(pack),
      });
      known.add(d.id);
    }
    if (added.length === 0) return 0;
    const versions = [...this.sorted(), ...added].sort(byAge);
    await this.store.putMeta(RULEBOOK_META, { versions } satisfies RulebookIndex);
    const latest = versions[versions.length - 1]!;
    if (latest.id !== this.active.id && added.some((a) => a.id === latest.id)) {
      this.active = this.compile(this.store.meta<string>(packMeta(latest.id))!, versions.length, latest.id);
      for (const l of this.listeners) l(this.active);
    } else if (this.active.id !== 'seed') {
      // An older version arrived: the active one keeps its place but its number may have moved.
      this.active = { ...this.active, version: versions.findIndex((v) => v.id === this.active.id) + 1 };
    }
    return added.length;
  }

  private unsentIds(): string[] {
    return this.store.meta<string[]>(UNSENT_META) ?? [];
  }

  view(): RulebookView {
    const versions = this.sorted().map((v, i): RulebookVersion => ({
      version: i + 1, id: v.id, name: v.name, publishedBy: v.publishedBy, publishedByName: personName(v.publishedBy, this.people),
      publishedAt: v.publishedAt, seat: v.seat, note: v.note, rules: v.rules,
    }));
    const all = [...versions, this.seedInfo].sort((a, b) => b.version - a.version);
    const current = all.find((v) => v.id === this.active.id) ?? this.seedInfo;
    return { current, yaml: this.active.yaml, versions: all };
  }

  private sorted(): StoredVersion[] {
    return [...(this.store.meta<RulebookIndex>(RULEBOOK_META)?.versions ?? [])].sort(byAge);
  }

  private compile(yaml: string, version: number, id: string): ActiveRulebook {
    const pack = this.validate(yaml);
    return { version, id, name: packName(pack), yaml, pack, views: packViews(pack) };
  }
}
