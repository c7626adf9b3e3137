/**
 * Fast epoch milliseconds of the ISO-8601 instants ticket rows carry
 * (`YYYY-MM-DDTHH:mm:ss[.fff](Z|±hh:mm)`): the dashboard reads ~1.6 million of them for a year of a
 * large site, and `Date.parse` costs about twice as much. Any other shape falls back to
 * `Date.parse`. Rows are validated where they enter the seat; this does not validate.
 */

/** Days from 1970-01-01 to a proleptic Gregorian date (H. Hinnant's days_from_civil). */
export function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (month > 2 ? month - 3 : month + 9) + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146_097 + doe - 719_468;
}

const digit = (s: string, i: number): number => {
  const c = s.charCodeAt(i) - 48;
  return c >= 0 && c <= 9 ? c : NaN;
};

/** Epoch ms of an ISO-8601 instant; NaN when it is not one. */
export function instantMs(s: string): number {
  const n = s.length;
  if (n < 20 || s.charCodeAt(4) !== 45 || s.charCodeAt(10) !== 84 || s.charCodeAt(13) !== 58 || s.charCodeAt(16) !== 58) return Date.parse(s);
  const year = digit(s, 0) * 1000 + digit(s, 1) * 100 + digit(s, 2) * 10 + digit(s, 3);
  const month = digit(s, 5) * 10 + digit(s, 6);
  const day = digit(s, 8) * 10 + digit(s, 9);
  const hour = digit(s, 11) * 10 + digit(s, 12);
  const minute = digit(s, 14) * 10 + digit(s, 15);
  const second = digit(s, 17) * 10 + digit(s, 18);
  let i = 19;
  let ms = 0;
  if (s.charCodeAt(i) === 46) {
    i++;
    let k = 0;
    for (; i < n; i++) {
      const c = s.charCodeAt(i) - 48;
      if (c < 0 || c > 9) break;
      if (k < 3) { ms = ms * 10 + c; k++; }
    }
    if (k === 0) return Date.parse(s);
    for (; k < 3; k++) ms *= 10;
  }
  const sign = s.charCodeAt(i);
  let offset = 0;
  if (sign === 90 && i === n - 1) offset = 0;
  else if ((sign === 43 || sign === 45) && i + 6 === n && s.charCodeAt(i + 3) === 58) {
    offset = (digit(s, i + 1) * 10 + digit(s, i + 2)) * 60 + digit(s, i + 4) * 10 + digit(s, i + 5);
    if (sign === 45) offset = -offset;
  } else return Date.parse(s);
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 59) return Date.parse(s);
  const out = ((daysFromCivil(year, month, day) * 24 + hour) * 60 + minute - offset) * 60_000 + second * 1000 + ms;
  return Number.isNaN(out) ? Date.parse(s) : out;
}
