import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * domain/ and rules/ are pure (CONVENTIONS.md §1): no I/O, no clock, no ambient randomness, and
 * dependencies point one way (renderer → electron → rules → domain). ESLint says the same while
 * editing; this test makes it hold in CI whatever the lint configuration becomes.
 */
const root = join(__dirname, '..', '..');
const EDGE = /(^|\/)(cli|node|bench)\//; // rules/cli, rules/node: the I/O edge of the rule engine

function sources(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...sources(p));
    else if (p.endsWith('.ts') && !p.endsWith('.test.ts') && !p.endsWith('.d.ts')) out.push(p);
  }
  return out;
}

const IMPORT = /(?:^|\n)\s*(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)|require\(\s*['"]([^'"]+)['"]\s*\)/g;
const ALLOWED_PACKAGES = new Set(['zod', 'yaml']);
const CLOCK = [/\bDate\.now\s*\(/, /new Date\(\s*\)/, /\bMath\.random\s*\(/, /\bperformance\.now\s*\(/, /\bprocess\./, /\bset(Timeout|Interval)\s*\(/];

function violations(layer: 'domain' | 'rules'): string[] {
  const found: string[] = [];
  for (const file of sources(join(root, layer))) {
    const rel = relative(root, file);
    if (layer === 'rules' && EDGE.test(relative(join(root, 'rules'), file))) continue;
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(IMPORT)) {
      const spec = m[1] ?? m[2] ?? m[3] ?? '';
      if (spec.startsWith('.')) {
        const target = relative(root, join(file, '..', spec));
        const top = target.split('/')[0];
        const ok = layer === 'domain' ? top === 'domain' : top === 'domain' || top === 'rules';
        if (!ok) found.push(`${rel}: imports ${spec} (the core imports nothing above it)`);
      } else if (!ALLOWED_PACKAGES.has(spec.split('/')[0]!)) {
        found.push(`${rel}: imports package "${spec}"`);
      }
    }
    const code = text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/\/\/.*$/gm, '');
    for (const re of CLOCK) if (re.test(code)) found.push(`${rel}: reads the clock, randomness or the process (${re.source})`);
  }
  return found;
}

describe('the pure core', () => {
  it('domain/ imports no I/O, reads no clock and depends on nothing above it', () => {
    expect(violations('domain')).toEqual([]);
  });
  it('rules/ imports no I/O, reads no clock and depends only on domain/', () => {
    expect(violations('rules')).toEqual([]);
  });
  it('catches a violation (the checker itself works)', () => {
    const probe = "import { readFileSync } from 'node:fs';\nconst t = Date.now();";
    expect([...probe.matchAll(IMPORT)].map((m) => m[1])).toEqual(['node:fs']);
    expect(CLOCK.some((re) => re.test(probe))).toBe(true);
  });
});
