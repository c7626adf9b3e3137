/**
 * Reads pack text: YAML 1.2 core schema (so `20:00`, `2026-10-01`, `on` and `yes` stay strings;
 * JSON is accepted as well), duplicate keys rejected, alias expansion bounded.
 */
import { parseDocument } from 'yaml';
import type { IssueList } from './errors';

export function readYaml(text: string, issues: IssueList): unknown {
  const doc = parseDocument(text, {
    version: '1.2', schema: 'core', uniqueKeys: true, prettyErrors: true, merge: false,
  });
  if (doc.errors.length > 0) {
    for (const error of doc.errors.slice(0, 10)) {
      const where = error.linePos?.[0];
      const first = error.message.split('\n')[0]?.replace(/ at line \d+, column \d+:?$/, '') ?? error.message;
      issues.add('yaml', [], `${where ? `line ${where.line}, column ${where.col}: ` : ''}${first}`);
    }
    return undefined;
  }
  try {
    return doc.toJS({ maxAliasCount: 100 });
  } catch (error) {
    issues.add('yaml', [], error instanceof Error ? error.message : String(error));
    return undefined;
  }
}
