import { describe, expect, it } from 'vitest';
import { FrameError, decodeFrame, encodeFrame } from './codec';

describe('the binary frame', () => {
  it('carries bytes untouched next to a JSON header', () => {
    const a = new Uint8Array([0, 1, 2, 255]);
    const b = new Uint8Array(70_000).fill(7);
    const back = decodeFrame(encodeFrame({ t: 'push', batchId: 3, tickets: [{ id: 'x', changes: [a, b] }], note: '工单' })) as {
      tickets: { changes: Uint8Array[] }[];
      note: string;
    };
    expect([...back.tickets[0]!.changes[0]!]).toEqual([0, 1, 2, 255]);
    expect(back.tickets[0]!.changes[1]!.length).toBe(70_000);
    expect(back.note).toBe('工单');
  });

  it('refuses what is not a frame with a FrameError, never another exception', () => {
    const good = encodeFrame({ x: new Uint8Array(8) });
    const cases = [new Uint8Array(0), new Uint8Array([1, 2, 3, 4, 5]), good.subarray(0, good.length - 1), new Uint8Array([0x43, 5, 0, 0, 0, 0x7b, 0x7d]), encodeFrame({}).fill(0xff, 5)];
    for (const c of cases) expect(() => decodeFrame(c)).toThrow(FrameError);
    const forged = new TextEncoder().encode('{"a":{"$b":[0,99]}}');
    const frame = new Uint8Array(5 + forged.length);
    frame[0] = 0x43;
    new DataView(frame.buffer).setUint32(1, forged.length, true);
    frame.set(forged, 5);
    expect(() => decodeFrame(frame)).toThrow(/out of range/);
  });

  it('takes a "__proto__" key in a header as data, never as the object’s prototype', () => {
    const header = new TextEncoder().encode('{"t":"x","a":{"__proto__":{"polluted":true},"b":[{"$b":[0,2]}]}}');
    const frame = new Uint8Array(5 + header.length + 2);
    frame[0] = 0x43;
    new DataView(frame.buffer).setUint32(1, header.length, true);
    frame.set(header, 5);
    frame.set([7, 9], 5 + header.length);
    const m = decodeFrame(frame) as { a: Record<string, unknown> & { b: Uint8Array[] } };
    expect(Object.getPrototypeOf(m.a)).toBe(Object.prototype);
    expect((m.a as { polluted?: boolean }).polluted).toBeUndefined();
    expect([...m.a.b[0]!]).toEqual([7, 9]);
  });
});
