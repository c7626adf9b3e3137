import { readFileSync } from 'node:fs';

/**
 * The host's settable clock for tests and demos (`--clock-file PATH`): real time shifted by an
 * offset. Writing an ISO instant into the file moves the clock to it; it runs on in real time.
 * Only a file the person who started the host names on its command line can do this — there is no
 * call for it over the network.
 */
export interface SettableClock {
  now(): Date;
  /** Moves the clock so that now is `instant`; false for text that is not an instant. */
  set(text: string): boolean;
}

export function settableClock(startAt: string | null, realNow: () => number = Date.now): SettableClock {
  let offset = startAt ? Date.parse(startAt) - realNow() : 0;
  return {
    now: () => new Date(realNow() + offset),
    set(text) {
      const at = Date.parse(text.trim());
      if (!/\d{4}-\d{2}-\d{2}T/.test(text) || Number.isNaN(at)) return false;
      offset = at - realNow();
      return true;
    },
  };
}

/**
 * Follows the file (read every 100 ms); `changed` runs after each move. Compares the text rather
 * than the file's stat, so a file created between two polls is never missed. Returns a stop function.
 */
export function followClockFile(path: string, clock: SettableClock, changed: () => void, warn: (m: string) => void): () => void {
  let last = '';
  const read = () => {
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch {
      return; // not written yet
    }
    if (text.trim() === '' || text === last) return;
    last = text;
    if (clock.set(text)) changed();
    else warn(`--clock-file ${path}: not an ISO instant: ${text.slice(0, 60)}`);
  };
  read();
  const timer = setInterval(read, 100);
  timer.unref();
  return () => clearInterval(timer);
}
