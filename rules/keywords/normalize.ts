/**
 * Text normalisation shared by keywords and ticket text: NFKC (full-width ＡＢＣ１２３ → ABC123,
 * compatibility forms folded) and lower case. Chinese has no case and needs no word boundaries.
 */
export function normalizeText(text: string): string {
  return text.normalize('NFKC').toLowerCase();
}
