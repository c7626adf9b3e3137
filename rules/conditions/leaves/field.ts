/**
 * `field: {name: F, eq|ne|in|exists|gte|lte: V}` — a ticket field or a form answer
 * (`form.fault_type`). Several operators in one leaf must all hold (`gte` + `lte` is a range).
 */
import { z } from 'zod';
import { FIELD_HINT, fieldValue, isFieldName } from '../../model/fields';
import { parseWith } from '../../pack/zod-issues';
import { defineLeaf } from '../registry';
import { FIELD_OPERATORS } from './field-operators';

const OPERATOR_NAMES = [...FIELD_OPERATORS.keys()];

const body = z.looseObject({
  name: z.string({ error: `expected a field name: ${FIELD_HINT}` })
    .refine(isFieldName, { error: `expected a field name: ${FIELD_HINT}` }),
});

type Body = z.infer<typeof body>;

function shown(value: unknown): string {
  if (Array.isArray(value)) return value.length ? value.map(String).join('/') : '(none)';
  if (value === undefined || value === null || value === '') return '(empty)';
  return String(value);
}

export const fieldLeaf = defineLeaf<Body>({
  name: 'field',
  schema: body,
  compile(b, ctx, path) {
    const name = b.name;
    const checks: { op: string; test: (actual: unknown) => boolean; text: string }[] = [];
    for (const [key, operand] of Object.entries(b)) {
      if (key === 'name') continue;
      const operator = FIELD_OPERATORS.get(key);
      if (!operator) {
        ctx.issues.add('unknown_key', [...path, key], `unknown key, expected one of name, ${OPERATOR_NAMES.join(', ')}`);
        continue;
      }
      const value = parseWith(operator.operand, operand, [...path, key], ctx.issues);
      if (value === null) continue;
      checks.push({ op: key, test: (actual) => operator.test(actual, value), text: operator.describe(value) });
    }
    if (checks.length === 0 && Object.keys(b).length === 1) {
      ctx.issues.add('value', path, `expected an operator: ${OPERATOR_NAMES.join(', ')}`);
    }
    const describe = (): string => `${name} ${checks.map((c) => c.text).join(' and ')}`;
    return {
      kind: 'field',
      requiredKeywords: null,
      test(scope) {
        const actual = fieldValue(scope.ticket, name);
        for (const check of checks) if (!check.test(actual)) return false;
        return true;
      },
      explain(scope) {
        const actual = shown(fieldValue(scope.ticket, name));
        return checks.length === 1 && checks[0]?.op === 'eq' ? `${name} ${actual}` : `${name} ${actual} ${checks.map((c) => c.text).join(' and ')}`;
      },
      describe,
    };
  },
});
