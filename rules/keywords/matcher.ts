/**
 * The pack's keyword dictionary: every keyword of every rule, normalised and de-duplicated, in one
 * Aho–Corasick automaton. `scan` makes one pass over a (normalised) text.
 */
import { AhoCorasick } from './aho-corasick';
import { normalizeText } from './normalize';

export class KeywordDictionary {
  private readonly ids = new Map<string, number>();
  private readonly words: string[] = [];
  private automaton: AhoCorasick | null = null;

  /** Registers a keyword (while compiling) and returns its id. */
  add(keyword: string): number {
    const word = normalizeText(keyword);
    let id = this.ids.get(word);
    if (id === undefined) {
      if (this.automaton) throw new Error('keyword dictionary is sealed');
      id = this.words.length;
      this.words.push(word);
      this.ids.set(word, id);
    }
    return id;
  }

  seal(): void {
    this.automaton ??= new AhoCorasick(this.words);
  }

  get size(): number {
    return this.words.length;
  }

  word(id: number): string {
    return this.words[id] ?? '';
  }

  /** Ids of the keywords that occur in `text` (normalised here). */
  scan(text: string): number[] {
    this.seal();
    return (this.automaton as AhoCorasick).findAll(normalizeText(text));
  }
}
