/** ISO-8601 instants as tickets and the command line carry them: always with an offset. */
import { parseIsoDate } from './clock';

const ISO_INSTANT = /^(\d{4}-\d{2}-\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(?:(Z)|([+-])(\d{2}):(\d{2}))$/;

export const INSTANT_EXPECTED = 'expected an ISO-8601 time with an offset, e.g. 2026-02-18T22:10:00+08:00';

/** Epoch milliseconds of an ISO-8601 time with an offset (`Z` or ±hh:mm); null otherwise. */
export function parseInstant(text: string): number | null {
  const m = ISO_INSTANT.exec(text);
  if (!m) return null;
  const day = parseIsoDate(m[1] ?? '');
  const hour = Number(m[2]);
  const minute = Number(m[3]);
  const second = Number(m[4] ?? 0);
  const fraction = m[5] ? Number(`0.${m[5]}`) : 0;
  if (day === null || hour > 23 || minute > 59 || second > 59) return null;
  let offset = 0;
  if (!m[6]) {
    const oh = Number(m[8]);
    const om = Number(m[9]);
    if (oh > 14 || om > 59) return null;
    offset = (m[7] === '-' ? -1 : 1) * (oh * 60 + om);
  }
  return day * 86_400_000 + ((hour * 60 + minute - offset) * 60 + second) * 1000 + Math.round(fraction * 1000);
}
