import { useSessionStore } from '../stores/session';
import { useI18n } from './useI18n';

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(locale: string, timeZone: string, withSeconds: boolean): Intl.DateTimeFormat {
  const key = `${locale}|${timeZone}|${withSeconds}`;
  let f = formatters.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat(locale, {
      timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit',
      hour: '2-digit', minute: '2-digit', ...(withSeconds ? { second: '2-digit' } : {}),
    });
    formatters.set(key, f);
  }
  return f;
}

/** Times in the site's zone (Asia/Shanghai for the demo site), durations in words. */
export function useFormat() {
  const session = useSessionStore();
  const { t, locale } = useI18n();

  function time(iso: string | null | undefined, withSeconds = false): string {
    if (!iso) return t('ticket.none');
    const ms = Date.parse(iso);
    if (Number.isNaN(ms)) return iso;
    // zh-CN's numeric date uses "/", which reads well; keep one format for both languages.
    return formatter('zh-CN', session.timezone, withSeconds).format(ms).replace(/\//g, '-');
  }

  function duration(ms: number): string {
    const minutes = Math.floor(Math.max(0, ms) / 60_000);
    if (minutes < 1) return t('duration.lessThanMinute');
    const d = Math.floor(minutes / 1440);
    const h = Math.floor((minutes % 1440) / 60);
    const m = minutes % 60;
    if (d > 0) return t('duration.days', { d, h });
    if (h > 0) return t('duration.hours', { h, m });
    return t('duration.minutes', { m });
  }

  return { time, duration, locale };
}
