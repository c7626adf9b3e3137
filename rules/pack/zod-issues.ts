/**
 * Runs a zod schema over part of a pack and turns its issues into PackIssues with full paths and
 * plain messages ("expected "HH:MM"", "unknown key", "expected one of warn, breach, escalate").
 * Messages a schema sets itself win; this only words zod's defaults.
 */
import type { z } from 'zod';
import type { IssueList, PackIssueCode, PathSegment } from './errors';

type RawIssue = z.core.$ZodRawIssue;

function describeType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  if (typeof value === 'string') return `"${value.length > 40 ? `${value.slice(0, 40)}…` : value}"`;
  return String(value);
}

const EXPECTED_WORDS: Record<string, string> = {
  string: 'text', number: 'a number', int: 'an integer', boolean: 'true or false',
  array: 'a list', object: 'a mapping', record: 'a mapping', tuple: 'a list',
};

function message(issue: RawIssue): string {
  switch (issue.code) {
    case 'invalid_type': {
      if (issue.input === undefined) return 'required';
      return `expected ${EXPECTED_WORDS[issue.expected] ?? issue.expected}, got ${describeType(issue.input)}`;
    }
    case 'invalid_value':
      return `expected ${issue.values.length === 1 ? String(issue.values[0]) : `one of ${issue.values.map(String).join(', ')}`}`;
    case 'too_small':
      if (issue.origin === 'array') return `expected at least ${issue.minimum} item${Number(issue.minimum) === 1 ? '' : 's'}`;
      if (issue.origin === 'string') return Number(issue.minimum) <= 1 ? 'expected non-empty text' : `expected at least ${issue.minimum} characters`;
      return `expected at least ${issue.minimum}`;
    case 'too_big':
      if (issue.origin === 'array') return `expected at most ${issue.maximum} items`;
      if (issue.origin === 'string') return `expected at most ${issue.maximum} characters`;
      return `expected at most ${issue.maximum}`;
    case 'invalid_union':
      return 'not one of the accepted forms';
    default:
      return 'invalid value';
  }
}

function codeOf(issue: z.core.$ZodIssue): PackIssueCode {
  if (issue.code === 'invalid_type') return 'type';
  if (issue.code === 'unrecognized_keys') return 'unknown_key';
  if (issue.code === 'custom' || issue.code === 'invalid_format') return 'format';
  return 'value';
}

/** Parses `value` with `schema`; on failure adds issues under `base` and returns null. */
export function parseWith<T>(schema: z.ZodType<T>, value: unknown, base: readonly PathSegment[], issues: IssueList): T | null {
  const result = schema.safeParse(value, { error: (issue) => message(issue) });
  if (result.success) return result.data;
  for (const issue of result.error.issues) {
    const path = [...base, ...issue.path.map((p) => (typeof p === 'number' ? p : String(p)))];
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) issues.add('unknown_key', [...path, key], 'unknown key');
    } else {
      issues.add(codeOf(issue), path, issue.message);
    }
  }
  return null;
}
