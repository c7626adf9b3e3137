/**
 * `time: {field: F, between: [HH:MM, HH:MM], days: [..], business: bool}` — the time of field F
 * (default createdAt; `now` is the moment of evaluation) on the site's wall clock. Both ends are
 * inclusive at minute precision; a window crossing midnight belongs to the day it starts on.
 * `days` takes mon…sun and, with a calendar, `workday` / `offday` (holidays and 调休 included).
 */
import { z } from 'zod';
import { TIME_FIELD_HINT, isTimeField, timeValue } from '../../model/fields';
import { WEEKDAY_NAMES, hhmm } from '../../pack/primitives';
import { WEEKDAYS, formatHHMM, parseHHMM, weekdayOf } from '../../time/clock';
import { windowStartDay } from '../../time/window';
import type { DailyWindow } from '../../time/window';
import { defineLeaf } from '../registry';

const DAY_NAMES = [...WEEKDAY_NAMES, 'workday', 'offday'] as const;

const body = z.strictObject({
  field: z.string().refine(isTimeField, { error: `expected a time field: ${TIME_FIELD_HINT}` }).optional(),
  between: z.tuple([hhmm, hhmm], { error: 'expected ["HH:MM", "HH:MM"]' }).optional(),
  days: z.array(z.enum(DAY_NAMES)).min(1).optional(),
  business: z.boolean().optional(),
}).refine((b) => b.between || b.days || b.business !== undefined, { error: 'expected at least one of between, days, business' });

type Body = z.infer<typeof body>;

const capital = (day: string): string => day.charAt(0).toUpperCase() + day.slice(1);

export const timeLeaf = defineLeaf<Body>({
  name: 'time',
  schema: body,
  compile(b, ctx, path) {
    const field = b.field ?? 'createdAt';
    const window: DailyWindow | null = b.between
      ? { from: parseHHMM(b.between[0]) as number, to: parseHHMM(b.between[1]) as number }
      : null;
    const weekdays = new Set((b.days ?? []).flatMap((d) => {
      const i = (WEEKDAYS as readonly string[]).indexOf(d);
      return i >= 0 ? [i] : [];
    }));
    const workday = b.days?.includes('workday') ?? false;
    const offday = b.days?.includes('offday') ?? false;
    const calendar = ctx.calendar;
    if (!calendar && (workday || offday)) ctx.issues.add('reference', [...path, 'days'], 'workday/offday need site.calendar');
    if (!calendar && b.business !== undefined) ctx.issues.add('reference', [...path, 'business'], 'business needs site.calendar');
    const dayOk = (day: number): boolean =>
      weekdays.has(weekdayOf(day)) || (workday && calendar?.isWorkday(day) === true) || (offday && calendar?.isWorkday(day) === false);
    const range = window ? `${formatHHMM(window.from)}–${formatHHMM(window.to)}` : '';
    const prefix = field === 'createdAt' ? '' : `${field} `;
    const describe = (): string => [
      prefix.trim(),
      range && `within ${range}`,
      b.days && `on ${b.days.join('/')}`,
      b.business !== undefined && (b.business ? 'inside business hours' : 'outside business hours'),
    ].filter(Boolean).join(' ');
    return {
      kind: 'time',
      requiredKeywords: null,
      test(scope) {
        const instant = timeValue(scope.ticket, field, scope.now);
        if (instant === null) return false;
        const parts = scope.local(instant);
        const start = window ? windowStartDay(parts, window) : parts.day;
        if (start === null) return false;
        if (b.days && !dayOk(start)) return false;
        if (b.business !== undefined && calendar && calendar.isBusinessTime(instant) !== b.business) return false;
        return true;
      },
      explain(scope) {
        const instant = timeValue(scope.ticket, field, scope.now) as number;
        const parts = scope.local(instant);
        const start = window ? (windowStartDay(parts, window) as number) : parts.day;
        const dayName = (day: number): string => capital(WEEKDAYS[weekdayOf(day)] ?? '');
        let text = `${prefix}${b.days ? `${dayName(parts.day)} ` : ''}${formatHHMM(parts.minute)}`;
        if (window) text += ` within ${start !== parts.day ? `${dayName(start)}'s ` : ''}${range}`;
        if (b.days) text += ` on ${b.days.join('/')}`;
        if (b.business !== undefined) text += b.business ? ', inside business hours' : ', outside business hours';
        return text;
      },
      describe,
    };
  },
});
