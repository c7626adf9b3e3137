/**
 * Pack errors are for the administrator who wrote the pack: each names the file, the rule (by
 * index and id) and the path inside it, and says what was expected, e.g.
 * `seed.yaml: routing[0] (night-bearing) .when.all[1].time.between: expected "HH:MM"`.
 */

export type PackIssueCode =
  | 'yaml' | 'type' | 'unknown_key' | 'value' | 'format' | 'reference' | 'duplicate' | 'limit' | 'version';

export type PathSegment = string | number;

export interface PackIssue {
  readonly code: PackIssueCode;
  readonly path: readonly PathSegment[];
  readonly message: string;
}

const RULE_SECTIONS = new Set(['routing', 'sla', 'automations']);
/** At most this many issues are reported at once; the rest are counted. */
const MAX_REPORTED = 25;

function tail(path: readonly PathSegment[]): string {
  return path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${p}`)).join('');
}

/** `routing[0] (night-bearing) .when.all[1]` — or a plain path outside rules. */
export function describePath(path: readonly PathSegment[], data: unknown): string {
  if (path.length === 0) return '(pack)';
  const [section, index, ...rest] = path;
  if (typeof section === 'string' && RULE_SECTIONS.has(section) && typeof index === 'number') {
    const list = data && typeof data === 'object' ? (data as Record<string, unknown>)[section] : undefined;
    const rule = Array.isArray(list) ? (list[index] as unknown) : undefined;
    const id = rule && typeof rule === 'object' ? (rule as Record<string, unknown>).id : undefined;
    const head = `${section}[${index}]${typeof id === 'string' && id ? ` (${id})` : ''}`;
    return rest.length ? `${head} ${tail(rest)}` : head;
  }
  return tail(path).replace(/^\./, '');
}

export class PackError extends Error {
  override readonly name = 'PackError';
  readonly lines: readonly string[];

  constructor(readonly file: string, readonly issues: readonly PackIssue[], data?: unknown) {
    const lines = issues.slice(0, MAX_REPORTED).map((i) =>
      i.code === 'yaml' ? `${file}: ${i.message}` : `${file}: ${describePath(i.path, data)}: ${i.message}`);
    if (issues.length > MAX_REPORTED) lines.push(`${file}: … and ${issues.length - MAX_REPORTED} more problems`);
    super(lines.join('\n'));
    this.lines = lines;
  }
}

/** Collects issues while a pack is checked; `at` scopes a path prefix. */
export class IssueList {
  readonly issues: PackIssue[] = [];

  add(code: PackIssueCode, path: readonly PathSegment[], message: string): void {
    this.issues.push({ code, path, message });
  }

  get empty(): boolean {
    return this.issues.length === 0;
  }
}
