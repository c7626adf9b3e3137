/**
 * The browser host's command line: `--data DIR --port N --seat AB --demo N --now ISO
 * [--clock-file PATH] [--server URL]`.
 * Parsed without I/O; a bad option is an error that says which one and why.
 */
export interface HostOptions {
  dataDir: string;
  port: number;
  seat: string;
  /** Seed this many demo tickets when the store is empty (0: none). */
  demo: number;
  /** Pretend the host started at this instant: the node's clock runs from it. */
  now: string | null;
  /**
   * For tests and demos only: a file holding an ISO instant; whenever it changes the node's clock
   * jumps to that instant and runs on from there. No other way to set the clock exists.
   */
  clockFile: string | null;
  /** The sync server (`http://host:port`); null runs the node alone. */
  server: string | null;
  /** A PEM file with the plant CA that issued the server's certificate (https servers). */
  ca: string | null;
}

export const DEFAULT_HOST_OPTIONS: HostOptions = { dataDir: '.closeloop/seat-A', port: 5170, seat: 'AA', demo: 0, now: null, clockFile: null, server: null, ca: null };

export class OptionError extends Error {}

const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;

export function parseHostArgs(argv: readonly string[]): HostOptions {
  const o: HostOptions = { ...DEFAULT_HOST_OPTIONS };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    const [flag, inline] = arg.startsWith('--') && arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    const value = (): string => {
      const v = inline ?? argv[++i];
      if (v === undefined || v === '') throw new OptionError(`${flag} needs a value`);
      return v;
    };
    switch (flag) {
      case '--data':
        o.dataDir = value();
        break;
      case '--port':
        o.port = integer(flag, value(), 0, 65_535);
        break;
      case '--seat': {
        const seat = value().toUpperCase();
        if (!/^[A-Z]{2}$/.test(seat)) throw new OptionError(`--seat must be two letters (e.g. AB), got "${seat}"`);
        o.seat = seat;
        break;
      }
      case '--demo':
        o.demo = integer(flag, value(), 0, 1_000_000);
        break;
      case '--now': {
        const v = value();
        if (!ISO_INSTANT.test(v) || Number.isNaN(Date.parse(v))) throw new OptionError(`--now must be an ISO instant with an offset (e.g. 2026-11-24T09:00:00+08:00), got "${v}"`);
        o.now = v;
        break;
      }
      case '--clock-file':
        o.clockFile = value();
        break;
      case '--ca':
        o.ca = value();
        break;
      case '--server': {
        const v = value();
        let url: URL | null = null;
        try {
          url = new URL(v);
        } catch {
          // reported below
        }
        if (!url || !['http:', 'https:'].includes(url.protocol) || url.pathname !== '/' || url.search) throw new OptionError(`--server must be the sync server's address, e.g. http://127.0.0.1:8787, got "${v}"`);
        o.server = url.origin;
        break;
      }
      default:
        throw new OptionError(`unknown option "${arg}" (known: --data, --port, --seat, --demo, --now, --clock-file, --server, --ca)`);
    }
  }
  return o;
}

function integer(flag: string, v: string, min: number, max: number): number {
  const n = Number(v);
  if (!/^\d+$/.test(v) || !Number.isSafeInteger(n) || n < min || n > max) throw new OptionError(`${flag} must be a whole number in ${min}–${max}, got "${v}"`);
  return n;
}

/**
 * A clock that starts at `startAt` when the process starts and then runs in real time:
 * now = real now + (startAt − the real start time).
 */
export function offsetClock(startAt: string, realStartMs: number, realNow: () => number): () => Date {
  const offset = Date.parse(startAt) - realStartMs;
  return () => new Date(realNow() + offset);
}
