/**
 * A compiled pack back to plain data, for storage (the synced `rulebook` document) and for the
 * editor: exactly the validated pack, as JSON-safe values. `compilePack(packToData(p))` compiles
 * to the same pack.
 */
import type { PackData } from './schema';
import type { CompiledPack } from './types';

export function packToData(pack: CompiledPack): PackData {
  return structuredClone(pack.data);
}
