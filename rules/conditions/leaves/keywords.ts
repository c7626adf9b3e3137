/**
 * `keywords: {any|all|none: [..], in: [fields]}` — case-insensitive substring match (NFKC, lower
 * case) on text fields, default title, description, tags. All keywords of a pack share one
 * Aho–Corasick automaton, so a ticket's text is scanned once per field, not once per keyword.
 */
import { z } from 'zod';
import { TEXT_FIELD_HINT, isTextField } from '../../model/fields';
import { defineLeaf } from '../registry';
import type { EvalScope } from '../registry';

const DEFAULT_FIELDS = ['title', 'description', 'tags'] as const;
const KEYWORD_EXPECTED = 'expected a keyword (1–100 characters, one line)';

const keyword = z.string({ error: KEYWORD_EXPECTED }).trim().min(1, { error: KEYWORD_EXPECTED }).max(100, { error: KEYWORD_EXPECTED })
  .refine((s) => !/[\n\r\0]/.test(s), { error: KEYWORD_EXPECTED });
const list = z.array(keyword).min(1).max(1000);

const body = z.strictObject({
  any: list.optional(),
  all: list.optional(),
  none: list.optional(),
  in: z.array(z.string().refine(isTextField, { error: `expected a text field: ${TEXT_FIELD_HINT}` })).min(1).optional(),
}).refine((b) => b.any || b.all || b.none, { error: 'expected at least one of any, all, none' });

type Body = z.infer<typeof body>;

interface Word {
  readonly id: number;
  readonly text: string;
}

export const keywordsLeaf = defineLeaf<Body>({
  name: 'keywords',
  schema: body,
  compile(b, ctx) {
    const fields: readonly string[] = b.in ?? DEFAULT_FIELDS;
    for (const field of fields) ctx.keywordFields.add(field);
    const words = (texts: readonly string[] | undefined): readonly Word[] =>
      (texts ?? []).map((text) => ({ id: ctx.keywords.add(text), text }));
    const any = words(b.any);
    const all = words(b.all);
    const none = words(b.none);
    const inFields = b.in ? ` in ${fields.join(', ')}` : '';
    const found = (scope: EvalScope, w: Word): boolean => scope.keywordHits(fields).has(w.id);
    const where = (scope: EvalScope, w: Word): string => `${w.text} in ${scope.keywordField(fields, w.id) ?? fields.join('/')}`;
    let required: readonly number[] | null = null;
    if (all.length) {
      const longest = all.reduce((a, w) => (w.text.length > a.text.length ? w : a));
      required = [longest.id];
    } else if (any.length) {
      required = any.map((w) => w.id);
    }
    return {
      kind: 'keywords',
      requiredKeywords: required,
      test(scope) {
        const hits = scope.keywordHits(fields);
        if (any.length) {
          let hit = false;
          for (const w of any) if (hits.has(w.id)) { hit = true; break; }
          if (!hit) return false;
        }
        for (const w of all) if (!hits.has(w.id)) return false;
        for (const w of none) if (hits.has(w.id)) return false;
        return true;
      },
      explain(scope) {
        const parts: string[] = [];
        const first = any.find((w) => found(scope, w));
        if (first) parts.push(`keyword ${where(scope, first)}`);
        if (all.length) parts.push(`keywords ${all.map((w) => where(scope, w)).join(', ')}`);
        if (none.length) parts.push(`none of ${none.map((w) => w.text).join('/')}${inFields}`);
        return parts.join(', ');
      },
      describe() {
        const parts: string[] = [];
        if (any.length) parts.push(`keyword ${any.map((w) => w.text).join('/')}`);
        if (all.length) parts.push(`keywords ${all.map((w) => w.text).join(' + ')}`);
        if (none.length) parts.push(`none of ${none.map((w) => w.text).join('/')}`);
        return parts.join(', ') + inFields;
      },
    };
  },
});
