/**
 * Daily time windows in the site's zone, e.g. 20:00–07:59. Both ends are inclusive at minute
 * precision (07:59 is in, 08:00 is out). A window that crosses midnight belongs to the day it
 * starts on: Saturday 02:00 is inside Friday's 20:00–07:59, so `days: [fri]` matches it.
 */
import type { LocalParts } from './zone';

export interface DailyWindow {
  readonly from: number; // minutes after midnight
  readonly to: number;
}

/**
 * The local day on which the window instance containing `parts` started, or null when the time
 * is outside the window.
 */
export function windowStartDay(parts: LocalParts, window: DailyWindow): number | null {
  const m = parts.minute;
  if (window.from <= window.to) {
    return m >= window.from && m <= window.to ? parts.day : null;
  }
  if (m >= window.from) return parts.day;
  if (m <= window.to) return parts.day - 1;
  return null;
}

export function crossesMidnight(window: DailyWindow): boolean {
  return window.from > window.to;
}
