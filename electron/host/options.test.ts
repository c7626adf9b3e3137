import { describe, expect, it } from 'vitest';
import { DEFAULT_HOST_OPTIONS, offsetClock, parseHostArgs } from './options';

describe('host options', () => {
  it('default to seat-A on port 5170 without demo tickets', () => {
    expect(parseHostArgs([])).toEqual(DEFAULT_HOST_OPTIONS);
  });

  it('read every option, spaced or with =', () => {
    expect(parseHostArgs(['--data', '/tmp/x', '--port=0', '--seat', 'ab', '--demo', '200', '--now', '2026-11-24T09:00:00+08:00', '--clock-file', '/tmp/clock', '--server', 'http://127.0.0.1:8787/'])).toEqual({
      dataDir: '/tmp/x', port: 0, seat: 'AB', demo: 200, now: '2026-11-24T09:00:00+08:00', clockFile: '/tmp/clock', server: 'http://127.0.0.1:8787', ca: null,
    });
  });

  it('say which option is wrong', () => {
    expect(() => parseHostArgs(['--port', '70000'])).toThrow(/--port/);
    expect(() => parseHostArgs(['--port', 'x'])).toThrow(/--port/);
    expect(() => parseHostArgs(['--seat', 'ABC'])).toThrow(/--seat/);
    expect(() => parseHostArgs(['--now', 'tomorrow'])).toThrow(/--now/);
    expect(() => parseHostArgs(['--now', '2026-11-24T09:00:00'])).toThrow(/offset/);
    expect(() => parseHostArgs(['--data'])).toThrow(/needs a value/);
    expect(() => parseHostArgs(['--verbose'])).toThrow(/unknown option/);
    expect(() => parseHostArgs(['--server', '127.0.0.1:8787'])).toThrow(/--server/);
    expect(() => parseHostArgs(['--server', 'ftp://plant/'])).toThrow(/--server/);
    expect(() => parseHostArgs(['--server', 'http://plant:8787/sync'])).toThrow(/--server/);
  });
});

describe('the offset clock', () => {
  it('starts at --now and runs in real time', () => {
    let real = 1_000_000;
    const clock = offsetClock('2026-11-24T01:00:00Z', real, () => real);
    expect(clock().toISOString()).toBe('2026-11-24T01:00:00.000Z');
    real += 90_000;
    expect(clock().toISOString()).toBe('2026-11-24T01:01:30.000Z');
  });
});
