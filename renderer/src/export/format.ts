/** Numbers as the supervisor view shows them. */

/** A rate 0–1 as a percentage with one decimal ('72.3%'), or the empty mark when null. */
export function percent(rate: number | null | undefined, none = '—'): string {
  return rate === null || rate === undefined ? none : `${(rate * 100).toFixed(1)}%`;
}

/** Hours with one decimal, or the empty mark when null. */
export function hours(h: number | null | undefined, none = '—'): string {
  return h === null || h === undefined ? none : h.toFixed(1);
}

/** Hours rounded for a spreadsheet (two decimals), or null. */
export function hoursCell(h: number | null | undefined): number | null {
  return h === null || h === undefined ? null : Math.round(h * 100) / 100;
}

/** The time of day (HH:mm) in a zone, with the date in front when it is not `today`. */
export function clockTime(iso: string, zone: string, today: string): string {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return iso;
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone: zone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit',
  }).formatToParts(ms);
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  const date = `${get('year')}-${get('month')}-${get('day')}`;
  const time = `${get('hour')}:${get('minute')}`;
  return date === today ? time : `${date} ${time}`;
}

type Translate = (key: 'bp.threshold.days' | 'bp.threshold.hours' | 'bp.threshold.minutes', params: Record<string, number>) => string;

/** A threshold in its largest whole unit (30 分钟, 2 小时, 3 天); minutes otherwise. */
export function thresholdText(minutes: number, t: Translate): string {
  if (minutes >= 1440 && minutes % 1440 === 0) return t('bp.threshold.days', { d: minutes / 1440 });
  if (minutes >= 60 && minutes % 60 === 0) return t('bp.threshold.hours', { h: minutes / 60 });
  return t('bp.threshold.minutes', { m: Math.round(minutes * 10) / 10 });
}
