/**
 * The Automerge change message of an automated change: who is `automation`, the action names
 * every rule and version behind it, e.g. `rules:night-bearing@v1,accept-15m@v1`.
 */
export const RULE_ACTOR = 'automation';
const PREFIX = 'rules:';

export interface FiredRule {
  rule: string;
  version: number;
}

export function ruleAction(fired: readonly FiredRule[]): string {
  return PREFIX + fired.map((f) => `${f.rule}@v${f.version}`).join(',');
}

/** The rules an action names, or null when it is not an automated change. */
export function parseRuleAction(action: string): FiredRule[] | null {
  if (!action.startsWith(PREFIX)) return null;
  const fired: FiredRule[] = [];
  for (const part of action.slice(PREFIX.length).split(',')) {
    const m = /^(.+)@v(\d+)$/.exec(part);
    if (m?.[1] && m[2]) fired.push({ rule: m[1], version: Number(m[2]) });
  }
  return fired;
}
