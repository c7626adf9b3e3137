/**
 * Operators of the `field` leaf. Each is a name, the shape of its operand and a test; adding one
 * here makes it available in packs without touching the leaf or the evaluator.
 */
import { z } from 'zod';
import { isEmptyValue } from '../../model/fields';

export type Scalar = string | number | boolean;

export interface FieldOperator<Operand = unknown> {
  readonly name: string;
  readonly operand: z.ZodType<Operand>;
  test(actual: unknown, operand: Operand): boolean;
  describe(operand: Operand): string;
}

const scalar = z.union([z.string(), z.number(), z.boolean()], { error: 'expected text, a number or true/false' });

function same(actual: unknown, expected: Scalar): boolean {
  if (Array.isArray(actual)) return actual.some((v) => v === expected);
  return actual === expected;
}

function compare(actual: unknown, operand: string | number): number | null {
  if (typeof actual === 'number' && typeof operand === 'number') return actual - operand;
  if (typeof actual === 'string' && typeof operand === 'string') return actual < operand ? -1 : actual > operand ? 1 : 0;
  if (typeof actual === 'string' && typeof operand === 'number' && actual.trim() !== '' && Number.isFinite(Number(actual))) {
    return Number(actual) - operand;
  }
  return null;
}

function op<Operand>(operator: FieldOperator<Operand>): FieldOperator {
  return operator as unknown as FieldOperator;
}

const bound = z.union([z.string(), z.number()], { error: 'expected text or a number' });

export const FIELD_OPERATORS: ReadonlyMap<string, FieldOperator> = new Map([
  op<Scalar>({ name: 'eq', operand: scalar, test: (a, v) => same(a, v), describe: (v) => `= ${String(v)}` }),
  op<Scalar>({ name: 'ne', operand: scalar, test: (a, v) => !same(a, v), describe: (v) => `≠ ${String(v)}` }),
  op<Scalar[]>({
    name: 'in', operand: z.array(scalar).min(1),
    test: (a, list) => list.some((v) => same(a, v)), describe: (list) => `in ${list.map(String).join('/')}`,
  }),
  op<boolean>({
    name: 'exists', operand: z.boolean(),
    test: (a, want) => isEmptyValue(a) !== want, describe: (want) => (want ? 'is set' : 'is empty'),
  }),
  op<string | number>({
    name: 'gte', operand: bound,
    test: (a, v) => { const c = compare(a, v); return c !== null && c >= 0; }, describe: (v) => `≥ ${v}`,
  }),
  op<string | number>({
    name: 'lte', operand: bound,
    test: (a, v) => { const c = compare(a, v); return c !== null && c <= 0; }, describe: (v) => `≤ ${v}`,
  }),
].map((o) => [o.name, o]));
