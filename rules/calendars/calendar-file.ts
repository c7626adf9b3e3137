/**
 * A shared calendar file (rules/calendars/*.yaml), e.g. mainland China's public holidays and
 * make-up workdays for a year. A pack includes it with `site.calendar.include: cn-2026`; its
 * dates are added to the pack's own holidays and extra_workdays.
 */
import { z } from 'zod';
import { IssueList, PackError } from '../pack/errors';
import { id, isoDate, weekday } from '../pack/primitives';
import { readYaml } from '../pack/yaml';
import { parseWith } from '../pack/zod-issues';

export const calendarFileSchema = z.strictObject({
  name: id,
  description: z.string().max(2000).optional(),
  source: z.string().max(2000).optional(),
  workdays: z.array(weekday).optional(),
  holidays: z.array(isoDate).max(5000),
  extra_workdays: z.array(isoDate).max(5000).optional(),
});

export type CalendarFile = z.infer<typeof calendarFileSchema>;

/** Parses a calendar file's text; throws PackError naming the file. */
export function parseCalendarFile(text: string, file: string): CalendarFile {
  const issues = new IssueList();
  const data = readYaml(text, issues);
  const parsed = issues.empty ? parseWith(calendarFileSchema, data, [], issues) : null;
  if (!parsed) throw new PackError(file, issues.issues, data);
  return parsed;
}
