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
});
