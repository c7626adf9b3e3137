/** Durations as rule packs write them: an integer and one unit (s, m, h, d), e.g. `15m`. */

const UNIT_MS = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;
export type DurationUnit = keyof typeof UNIT_MS;
const DURATION = /^([1-9]\d{0,6})(s|m|h|d)$/;
/** Longest duration a pack may name (a year and a day). */
export const MAX_DURATION_MS = 366 * UNIT_MS.d;

export interface Duration {
  readonly text: string;
  readonly ms: number;
  readonly unit: DurationUnit;
}

export function parseDuration(text: string): Duration | null {
  const m = DURATION.exec(text);
  if (!m) return null;
  const unit = m[2] as DurationUnit;
  const ms = Number(m[1]) * UNIT_MS[unit];
  return ms > MAX_DURATION_MS ? null : { text, ms, unit };
}

/** Human form for explain lines: 90000 → "1m30s". */
export function formatDuration(ms: number): string {
  const negative = ms < 0;
  let rest = Math.round(Math.abs(ms) / 1000);
  const parts: string[] = [];
  for (const [unit, size] of [['d', 86_400], ['h', 3_600], ['m', 60], ['s', 1]] as const) {
    if (rest >= size) {
      parts.push(`${Math.floor(rest / size)}${unit}`);
      rest %= size;
    }
  }
  return (negative ? '-' : '') + (parts.join('') || '0s');
}
