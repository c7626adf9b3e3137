import type { SitePerson } from '../../../domain';
import { metricsConfig, type MetricsConfig, type SiteDirectory } from '../../../domain/metrics';
import type { CompiledPack } from '../../../rules';

/** What the seat's dashboard is computed with: the site's zone, thresholds, people and areas. */
export interface MetricsSettings {
  config: MetricsConfig;
  directory: SiteDirectory;
  /** The rulebook version the thresholds come from; null for the documented defaults. */
  rulebook: { version: number; name: string | null } | null;
}

/** The rulebook in force, as much of it as the metrics read. */
export interface RulebookLike {
  version: number;
  name: string | null;
  pack: Pick<CompiledPack, 'zone' | 'breakpoints' | 'data'>;
}

/**
 * Settings from the rule pack in force (`site.timezone`, `breakpoints:`, `site.areas`, people's
 * teams), or the site's zone and the documented defaults without one. The pack's people are the
 * team directory when it lists any; otherwise the site's people.
 */
export function metricsSettings(active: RulebookLike | null, site: { timezone: string; people: readonly SitePerson[] }): MetricsSettings {
  const sitePeople = site.people.map((p) => ({ id: p.id, teams: [...p.teams] }));
  if (!active) return { config: metricsConfig(site.timezone), directory: { people: sitePeople, areas: {} }, rulebook: null };
  const { pack } = active;
  const packPeople = (pack.data.people ?? []).map((p) => ({ id: p.id, teams: [...(p.teams ?? [])] }));
  return {
    config: metricsConfig(pack.zone, pack.breakpoints),
    directory: { people: packPeople.length > 0 ? packPeople : sitePeople, areas: { ...(pack.data.site.areas ?? {}) } },
    rulebook: { version: active.version, name: active.name },
  };
}
