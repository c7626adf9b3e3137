/** Small validated values shared by the pack schema and the condition leaves. */
import { z } from 'zod';
import { parseHHMM, parseIsoDate } from '../time/clock';
import { parseDuration } from '../time/duration';

export const HHMM_EXPECTED = 'expected "HH:MM"';
export const DURATION_EXPECTED = 'expected a duration like 15m (a positive integer and one unit: s, m, h, d; at most 366d)';
export const DATE_EXPECTED = 'expected a date "YYYY-MM-DD"';
export const ID_EXPECTED = 'expected an id (letters, digits, . _ : -; at most 80 characters)';

const ID = /^[\p{L}\p{N}][\p{L}\p{N}._:-]{0,79}$/u;

/** "HH:MM", 00:00–23:59. */
export const hhmm = z.string({ error: HHMM_EXPECTED })
  .refine((s) => parseHHMM(s) !== null, { error: `${HHMM_EXPECTED} (00:00–23:59)` });

/** "HH:MM" where "24:00" is allowed as the end of a range. */
export const hhmmEnd = z.string({ error: HHMM_EXPECTED })
  .refine((s) => parseHHMM(s, true) !== null, { error: `${HHMM_EXPECTED} (00:00–24:00)` });

export const duration = z.string({ error: DURATION_EXPECTED })
  .refine((s) => parseDuration(s) !== null, { error: DURATION_EXPECTED });

export const isoDate = z.string({ error: DATE_EXPECTED })
  .refine((s) => parseIsoDate(s) !== null, { error: `${DATE_EXPECTED} that exists` });

export const id = z.string({ error: ID_EXPECTED }).regex(ID, { error: ID_EXPECTED });

/** A non-empty single-line label (pool names, tags, titles). */
export const label = z.string().trim().min(1).max(200)
  .refine((s) => !/[\n\r]/.test(s), { error: 'expected a single line' });

export const WEEKDAY_NAMES = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export const weekday = z.enum(WEEKDAY_NAMES);

export const ROLES = ['agent', 'dispatcher', 'technician', 'supervisor', 'admin'] as const;
export const role = z.enum(ROLES);

export const LEVELS = ['warn', 'breach', 'escalate'] as const;
export const PRIORITIES = ['P1', 'P2', 'P3', 'P4'] as const;
