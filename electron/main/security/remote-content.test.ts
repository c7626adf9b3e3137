import { describe, expect, it } from 'vitest';
import { appOrigins } from './origins';
import { applyRemoteContentBlock, isAllowedRequest } from './remote-content';

const origins = appOrigins('http://localhost:5173');

describe('no remote content', () => {
  it("lets local schemes and the app's own origins through", () => {
    for (const url of ['app://closeloop/assets/a.js', 'data:image/png;base64,AA', 'blob:app://closeloop/1', 'devtools://devtools/x', 'http://localhost:5173/src/main.ts', 'ws://localhost:5173/']) {
      expect(isAllowedRequest(url, origins), url).toBe(true);
    }
  });

  it('cancels every request to anywhere else', () => {
    for (const url of ['https://cdn.example.com/lib.js', 'http://10.0.0.5/x.png', 'wss://evil.example/', 'http://127.0.0.1:5170/api/tickets']) {
      expect(isAllowedRequest(url, origins), url).toBe(false);
    }
  });

  it('is wired to webRequest.onBeforeRequest for network URLs', () => {
    let filter: { urls: string[] } | undefined;
    let listener: ((d: { url: string }, cb: (r: { cancel: boolean }) => void) => void) | undefined;
    applyRemoteContentBlock({ webRequest: { onBeforeRequest: (f: typeof filter, l: typeof listener) => ((filter = f), (listener = l)) } } as never, origins);
    expect(filter?.urls).toContain('https://*/*');
    const answers: boolean[] = [];
    listener?.({ url: 'https://cdn.example.com/x.js' }, (r) => answers.push(r.cancel));
    listener?.({ url: 'http://localhost:5173/x.js' }, (r) => answers.push(r.cancel));
    expect(answers).toEqual([true, false]);
  });
});
