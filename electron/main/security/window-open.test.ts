import { describe, expect, it } from 'vitest';
import { applyDenyWindowOpen, windowOpenDecision } from './window-open';

describe('window.open', () => {
  it("is denied for every URL, the app's own included", () => {
    for (const url of ['https://example.com', 'app://closeloop/index.html', 'javascript:alert(1)', 'file:///etc/passwd']) {
      expect(windowOpenDecision(url)).toEqual({ action: 'deny' });
    }
  });

  it("is wired as the contents' window-open handler", () => {
    let handler: ((d: { url: string }) => unknown) | undefined;
    applyDenyWindowOpen({ setWindowOpenHandler: (h: (d: { url: string }) => unknown) => (handler = h) } as never);
    expect(handler?.({ url: 'https://example.com' })).toEqual({ action: 'deny' });
  });
});
