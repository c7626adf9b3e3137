import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { applyWebviewBlock, insecurePreferences, secureWebPreferences } from './web-preferences';

describe('window web preferences', () => {
  it('isolate the page: context isolation, sandbox, no Node, no webview, web security, the preload', () => {
    const prefs = secureWebPreferences('/app/out/preload/index.cjs');
    expect(prefs).toMatchObject({
      preload: '/app/out/preload/index.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webviewTag: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
    });
    expect(insecurePreferences(prefs)).toEqual([]);
  });

  it('name every unsafe setting', () => {
    expect(insecurePreferences({ contextIsolation: false, nodeIntegration: true, webviewTag: true, webSecurity: false })).toEqual([
      'contextIsolation off', 'sandbox not on', 'nodeIntegration on', 'webviewTag on', 'webSecurity off',
    ]);
  });

  it('stop any <webview> from attaching', () => {
    const contents = new EventEmitter();
    applyWebviewBlock(contents as never);
    let prevented = false;
    contents.emit('will-attach-webview', { preventDefault: () => (prevented = true) });
    expect(prevented).toBe(true);
  });
});
