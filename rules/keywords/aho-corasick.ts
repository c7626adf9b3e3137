/**
 * Aho–Corasick automaton: built once over every keyword of a pack, then one pass over a text
 * reports which keywords occur in it. The cost of a pass follows the text's length and the
 * matches found, not the number of keywords. Patterns must already be normalised.
 */

const NONE = -1;

export class AhoCorasick {
  private readonly goto: Map<number, number>[] = [new Map()];
  private readonly fail: number[] = [0];
  /** Pattern id that ends exactly at this state, or NONE. */
  private readonly terminal: number[] = [NONE];
  /** Nearest state down the failure chain that ends a pattern, or NONE. */
  private readonly outputLink: number[] = [NONE];
  /** Generation stamps so that one pass reports each pattern once without clearing a set. */
  private readonly seen: Int32Array;
  private generation = 0;

  constructor(readonly patterns: readonly string[]) {
    patterns.forEach((pattern, id) => this.insert(pattern, id));
    this.link();
    this.seen = new Int32Array(patterns.length);
  }

  get stateCount(): number {
    return this.goto.length;
  }

  private insert(pattern: string, id: number): void {
    if (pattern.length === 0) throw new Error('empty keyword');
    let state = 0;
    for (let i = 0; i < pattern.length; i++) {
      const code = pattern.charCodeAt(i);
      const edges = this.goto[state] as Map<number, number>;
      let next = edges.get(code);
      if (next === undefined) {
        next = this.goto.length;
        this.goto.push(new Map());
        this.fail.push(0);
        this.terminal.push(NONE);
        this.outputLink.push(NONE);
        edges.set(code, next);
      }
      state = next;
    }
    if (this.terminal[state] === NONE) this.terminal[state] = id;
  }

  /** Breadth-first: failure links and output links. */
  private link(): void {
    const queue: number[] = [];
    for (const child of (this.goto[0] as Map<number, number>).values()) queue.push(child);
    for (let head = 0; head < queue.length; head++) {
      const state = queue[head] as number;
      for (const [code, child] of this.goto[state] as Map<number, number>) {
        let f = this.fail[state] as number;
        while (f !== 0 && !(this.goto[f] as Map<number, number>).has(code)) f = this.fail[f] as number;
        const target = (this.goto[f] as Map<number, number>).get(code);
        const failState = target !== undefined && target !== child ? target : 0;
        this.fail[child] = failState;
        this.outputLink[child] = this.terminal[failState] !== NONE ? failState : (this.outputLink[failState] as number);
        queue.push(child);
      }
    }
  }

  /** Ids of the patterns that occur in `text` (each once, in order of first occurrence). */
  findAll(text: string): number[] {
    const found: number[] = [];
    if (this.patterns.length === 0) return found;
    const generation = ++this.generation;
    if (generation === 0x7fffffff) {
      this.seen.fill(0);
      this.generation = 1;
    }
    const gen = this.generation;
    const goto = this.goto;
    const fail = this.fail;
    let state = 0;
    for (let i = 0; i < text.length; i++) {
      const code = text.charCodeAt(i);
      let next = (goto[state] as Map<number, number>).get(code);
      while (next === undefined && state !== 0) {
        state = fail[state] as number;
        next = (goto[state] as Map<number, number>).get(code);
      }
      state = next ?? 0;
      for (let s = this.terminal[state] !== NONE ? state : (this.outputLink[state] as number); s !== NONE; s = this.outputLink[s] as number) {
        const id = this.terminal[s] as number;
        if (this.seen[id] !== gen) {
          this.seen[id] = gen;
          found.push(id);
        }
      }
    }
    return found;
  }
}
