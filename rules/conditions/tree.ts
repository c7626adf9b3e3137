/**
 * `{all|any|not}` trees of typed leaves: parsed from pack data (with errors that name their
 * path), tested against a ticket, and explained. The tree knows leaves only through the registry.
 */
import type { IssueList, PathSegment } from '../pack/errors';
import { parseWith } from '../pack/zod-issues';
import type { CompileContext, CompiledLeaf, EvalScope, LeafRegistry } from './registry';

export type Condition =
  | { readonly kind: 'all'; readonly children: readonly Condition[] }
  | { readonly kind: 'any'; readonly children: readonly Condition[] }
  | { readonly kind: 'not'; readonly child: Condition }
  | { readonly kind: 'leaf'; readonly leaf: CompiledLeaf };

const MAX_DEPTH = 24;
const MAX_CHILDREN = 500;

function isMapping(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Compiles condition data; returns null (and records issues) when it is not valid. */
export function compileCondition(
  data: unknown, registry: LeafRegistry, ctx: CompileContext, path: readonly PathSegment[], depth = 0,
): Condition | null {
  const issues: IssueList = ctx.issues;
  const expected = `expected one of all, any, not, ${[...registry.keys()].join(', ')}`;
  if (!isMapping(data)) {
    issues.add('type', path, `expected a condition (a mapping with one key: ${expected.slice(16)})`);
    return null;
  }
  const keys = Object.keys(data);
  if (keys.length !== 1) {
    issues.add('value', path, keys.length === 0 ? `empty condition, ${expected}` : `a condition has exactly one key, got ${keys.join(', ')} (wrap several in all: [...])`);
    return null;
  }
  if (depth > MAX_DEPTH) {
    issues.add('limit', path, `conditions nest deeper than ${MAX_DEPTH} levels`);
    return null;
  }
  const key = keys[0] as string;
  const body = data[key];
  const here = [...path, key];
  if (key === 'all' || key === 'any') {
    if (!Array.isArray(body) || body.length === 0) {
      issues.add('type', here, 'expected a non-empty list of conditions');
      return null;
    }
    if (body.length > MAX_CHILDREN) {
      issues.add('limit', here, `at most ${MAX_CHILDREN} conditions in one list`);
      return null;
    }
    const children = body.map((child, i) => compileCondition(child, registry, ctx, [...here, i], depth + 1));
    return children.every((c): c is Condition => c !== null) ? { kind: key, children } : null;
  }
  if (key === 'not') {
    const child = compileCondition(body, registry, ctx, here, depth + 1);
    return child ? { kind: 'not', child } : null;
  }
  const definition = registry.get(key);
  if (!definition) {
    issues.add('unknown_key', here, `unknown condition, ${expected}`);
    return null;
  }
  const parsed = parseWith(definition.schema, body, here, issues);
  if (parsed === null) return null;
  const before = issues.issues.length;
  const leaf = definition.compile(parsed, ctx, here);
  return issues.issues.length === before ? { kind: 'leaf', leaf } : null;
}

export function testCondition(node: Condition, scope: EvalScope): boolean {
  switch (node.kind) {
    case 'leaf': return node.leaf.test(scope);
    case 'all':
      for (const child of node.children) if (!testCondition(child, scope)) return false;
      return true;
    case 'any':
      for (const child of node.children) if (testCondition(child, scope)) return true;
      return false;
    case 'not': return !testCondition(node.child, scope);
  }
}

export function describeCondition(node: Condition): string {
  switch (node.kind) {
    case 'leaf': return node.leaf.describe();
    case 'all': return node.children.map(describeCondition).join(' and ');
    case 'any': return `(${node.children.map(describeCondition).join(' or ')})`;
    case 'not': return `not ${describeCondition(node.child)}`;
  }
}

/** Reasons a condition that held, held: one phrase per deciding leaf. */
export function explainCondition(node: Condition, scope: EvalScope): string[] {
  switch (node.kind) {
    case 'leaf': return [node.leaf.explain(scope)];
    case 'all': return node.children.flatMap((child) => explainCondition(child, scope));
    case 'any': {
      const held = node.children.find((child) => testCondition(child, scope));
      return held ? explainCondition(held, scope) : [];
    }
    case 'not': return [`not ${describeCondition(node.child)}`];
  }
}

/**
 * Keyword ids of which at least one must occur for the condition to hold, or null when it may
 * hold without any keyword. Used to skip rules cheaply; always a safe over-approximation.
 */
export function requiredKeywords(node: Condition): readonly number[] | null {
  switch (node.kind) {
    case 'leaf': return node.leaf.requiredKeywords;
    case 'not': return null;
    case 'all': {
      let best: readonly number[] | null = null;
      for (const child of node.children) {
        const need = requiredKeywords(child);
        if (need && (!best || need.length < best.length)) best = need;
      }
      return best;
    }
    case 'any': {
      const union = new Set<number>();
      for (const child of node.children) {
        const need = requiredKeywords(child);
        if (!need) return null;
        for (const id of need) union.add(id);
      }
      return [...union];
    }
  }
}
