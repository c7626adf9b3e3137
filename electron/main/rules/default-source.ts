import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { builtinCalendars } from '../../../rules/node/load';
import type { RulebookSource } from './rulebook';

/**
 * The built-in rulebook read from the source tree (rules/packs/seed.yaml, rules/calendars): for the
 * browser host and tests, which run from the sources. Electron's bundled main embeds the same
 * files at build time instead (electron/main/index.ts).
 */
export function sourceTreeRulebook(): RulebookSource {
  const seed = fileURLToPath(new URL('../../../rules/packs/seed.yaml', import.meta.url));
  return { seed: { text: readFileSync(seed, 'utf8'), file: 'seed.yaml' }, calendars: builtinCalendars() };
}
