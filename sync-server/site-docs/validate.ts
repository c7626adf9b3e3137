import { formVersionSchema } from '../../domain';
import { parsePack, type CalendarFile } from '../../rules';
import { formVersionId, type SiteDocKind } from '../storage/site-doc-types';

/**
 * Checks a site document before the server keeps it: a rulebook version must compile as a rule
 * pack (with the calendars the server ships), a form version must be a valid intake template.
 * Returns why not, for the audit log and the publishing seat, or null. Pure.
 */
export function siteDocProblem(kind: SiteDocKind, body: string, calendars: Record<string, CalendarFile>): string | null {
  if (kind === 'rulebook') {
    try {
      parsePack(body, { file: 'rulebook.yaml', calendars });
      return null;
    } catch (e) {
      return `the rule pack does not compile: ${(e as Error).message}`;
    }
  }
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    return 'the form version is not JSON';
  }
  const r = formVersionSchema.safeParse(json);
  if (!r.success) return `the form version is not valid: ${r.error.issues.slice(0, 3).map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`;
  if (r.data.template.version !== r.data.version) return `version ${r.data.version} holds a template of version ${r.data.template.version}`;
  return null;
}


/**
 * Form versions are numbered and tickets record the number they were made with, so the server
 * keeps one linear history: a new version must be the next number (the site's built-in form is 1)
 * and be kept under `v<number>`. Why not, or null. Pure.
 */
export function formOrderProblem(id: string, body: string, stored: readonly { id: string; body: string }[]): string | null {
  const version = (JSON.parse(body) as { version: number }).version;
  if (id !== formVersionId(version)) return `form version ${version} must be published as ${formVersionId(version)}, not ${id}`;
  const same = stored.find((d) => d.id === id);
  if (same) return same.body === body ? null : `form version ${version} was already published with other content: reload the forms and publish again`;
  const latest = Math.max(1, ...stored.map((d) => (JSON.parse(d.body) as { version: number }).version));
  return version === latest + 1 ? null : `the next form version is ${latest + 1}, not ${version}: reload the forms and publish again`;
}
