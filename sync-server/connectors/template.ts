/**
 * Connector templates: text with `{{name}}` placeholders, and payload templates (any YAML value
 * whose strings may hold placeholders). A string that is exactly one placeholder becomes the
 * value itself (so `"{{payload.records}}"` is the records array, not its text). Placeholders are
 * checked when the connectors file is read: a name outside TEMPLATE_ROOTS, an unclosed `{{` or an
 * empty one is an error there, never at sending time.
 */
export const TEMPLATE_ROOTS = ['ticket', 'recipient', 'payload', 'text', 'rule', 'key', 'idempotency_key', 'channel', 'to', 'connector', 'created_at'] as const;

const PLACEHOLDER = /\{\{\s*([^{}]*?)\s*\}\}/g;
const NAME = /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z0-9_]+)*$/;

export class TemplateError extends Error {}

/** Problems of one template string (empty when it is fine). */
export function templateProblems(text: string): string[] {
  const problems: string[] = [];
  const stripped = text.replace(PLACEHOLDER, (_m, name: string) => {
    if (!NAME.test(name)) problems.push(name === '' ? 'an empty placeholder {{}}' : `"{{${name}}}" is not a name (letters, digits, _ and dots)`);
    else if (!(TEMPLATE_ROOTS as readonly string[]).includes(name.split('.')[0]!)) problems.push(`unknown placeholder {{${name}}} (expected one of ${TEMPLATE_ROOTS.join(', ')})`);
    return '';
  });
  if (stripped.includes('{{')) problems.push('an unclosed "{{"');
  else if (stripped.includes('}}')) problems.push('a "}}" without its "{{"');
  return problems;
}

/** Problems of a payload template, with their paths inside it. */
export function valueProblems(v: unknown, path: (string | number)[] = []): { path: (string | number)[]; message: string }[] {
  if (typeof v === 'string') return templateProblems(v).map((message) => ({ path, message }));
  if (Array.isArray(v)) return v.flatMap((x, i) => valueProblems(x, [...path, i]));
  if (v !== null && typeof v === 'object') return Object.entries(v).flatMap(([k, x]) => [...templateProblems(k).map((message) => ({ path: [...path, k], message })), ...valueProblems(x, [...path, k])]);
  return [];
}

function lookup(vars: Record<string, unknown>, name: string): unknown {
  let v: unknown = vars;
  for (const part of name.split('.')) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<string, unknown>)[part];
  }
  return v;
}

const asText = (v: unknown): string => (v === undefined || v === null ? '' : typeof v === 'string' ? v : typeof v === 'object' ? JSON.stringify(v) : String(v));

/** Fills a text template; `encode` escapes each value (e.g. encodeURIComponent in a URL). */
export function renderText(text: string, vars: Record<string, unknown>, encode: (s: string) => string = (s) => s): string {
  return text.replace(PLACEHOLDER, (_m, name: string) => encode(asText(lookup(vars, name.trim()))));
}

/** Fills a payload template: strings are filled, a string that is one placeholder is replaced by the value. */
export function renderValue(v: unknown, vars: Record<string, unknown>): unknown {
  if (typeof v === 'string') {
    const whole = /^\{\{\s*([^{}]*?)\s*\}\}$/.exec(v);
    if (whole) return lookup(vars, whole[1]!) ?? null;
    return renderText(v, vars);
  }
  if (Array.isArray(v)) return v.map((x) => renderValue(x, vars));
  if (v !== null && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [renderText(k, vars), renderValue(x, vars)]));
  return v;
}
