/**
 * `count: {same: [fields], at_least: N, within: DURATION | today}` — tickets of this site created
 * in `(now − within, now]` (or on the site's calendar day of `now`) that share those fields with
 * this one; this ticket is counted once, cancelled tickets and empty fields never count.
 */
import { z } from 'zod';
import { FIELD_HINT, fieldText, isFieldName } from '../../model/fields';
import { DURATION_EXPECTED } from '../../pack/primitives';
import { parseDuration } from '../../time/duration';
import { startOfLocalDay } from '../../time/zone';
import { defineLeaf } from '../registry';
import type { CountQuery, EvalScope } from '../registry';

const WITHIN_EXPECTED = `expected "today" or ${DURATION_EXPECTED.slice('expected '.length)}`;

const body = z.strictObject({
  same: z.array(z.string().refine(isFieldName, { error: `expected a field name: ${FIELD_HINT}` })).min(1).max(8),
  at_least: z.int().min(1).max(1_000_000),
  within: z.string({ error: WITHIN_EXPECTED }).refine((s) => s === 'today' || parseDuration(s) !== null, { error: WITHIN_EXPECTED }),
});

type Body = z.infer<typeof body>;

export const countLeaf = defineLeaf<Body>({
  name: 'count',
  schema: body,
  compile(b) {
    const span = b.within === 'today' ? null : (parseDuration(b.within)?.ms ?? 0);
    const same = [...new Set(b.same)];
    const query = (scope: EvalScope): CountQuery => (span === null
      ? { same, from: startOfLocalDay(scope.zone, scope.now), fromInclusive: true, to: scope.now }
      : { same, from: scope.now - span, fromInclusive: false, to: scope.now });
    const window = b.within === 'today' ? 'today' : `in ${b.within}`;
    return {
      kind: 'count',
      requiredKeywords: null,
      test: (scope) => scope.count(query(scope)) >= b.at_least,
      explain(scope) {
        const n = scope.count(query(scope));
        const values = same.map((f) => `${f} ${fieldText(scope.ticket, f)}`).join(', ');
        return `${n} tickets with ${values} ${window} (at least ${b.at_least})`;
      },
      describe: () => `at least ${b.at_least} tickets with the same ${same.join(', ')} ${window}`,
    };
  },
});
