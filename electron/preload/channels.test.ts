import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { calls, EVENT_NAMES as CONTRACT_EVENTS } from '../contract/ipc';
import { CALL_NAMES, EVENT_NAMES, callChannel, eventChannel, isEventName } from './channels';

describe('preload channels', () => {
  it('list exactly the contract calls and events', () => {
    expect([...CALL_NAMES].sort()).toEqual(Object.keys(calls).sort());
    expect([...EVENT_NAMES].sort()).toEqual([...CONTRACT_EVENTS].sort());
  });

  it('name one channel per call and per event', () => {
    expect(callChannel('tickets.list')).toBe('closeloop:tickets.list');
    expect(eventChannel('tickets.changed')).toBe('closeloop:event:tickets.changed');
    expect(isEventName('tickets.changed')).toBe(true);
    expect(isEventName('anything')).toBe(false);
  });

  it('import nothing at runtime but electron and each other (the sandboxed preload may only require electron)', async () => {
    for (const file of ['index.ts', 'channels.ts']) {
      const source = await readFile(new URL(file, import.meta.url), 'utf8');
      const runtime = [...source.matchAll(/^import\s+(?!type\b)[^'"]*from\s+'([^']+)'/gm)].map((m) => m[1]);
      for (const spec of runtime) expect(['electron', './channels'], `${file}: ${spec}`).toContain(spec);
    }
  });
});
