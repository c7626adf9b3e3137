import type { WebContents, WebPreferences } from 'electron';

/**
 * The window's web preferences (Electron security checklist): context isolation, the sandbox, no
 * Node integration anywhere, no <webview>, web security on, no insecure content, and the narrow
 * preload as the only bridge.
 */
export function secureWebPreferences(preload: string): WebPreferences {
  return {
    preload,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webviewTag: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    experimentalFeatures: false,
    enableBlinkFeatures: '',
    navigateOnDragDrop: false,
    spellcheck: false,
  };
}

/** What is unsafe about `prefs` (empty when nothing): used to refuse a window or a webview. */
export function insecurePreferences(prefs: WebPreferences): string[] {
  const bad: string[] = [];
  if (prefs.contextIsolation === false) bad.push('contextIsolation off');
  if (prefs.sandbox !== true) bad.push('sandbox not on');
  if (prefs.nodeIntegration === true) bad.push('nodeIntegration on');
  if (prefs.nodeIntegrationInWorker === true) bad.push('nodeIntegrationInWorker on');
  if (prefs.nodeIntegrationInSubFrames === true) bad.push('nodeIntegrationInSubFrames on');
  if (prefs.webviewTag === true) bad.push('webviewTag on');
  if (prefs.webSecurity === false) bad.push('webSecurity off');
  if (prefs.allowRunningInsecureContent === true) bad.push('allowRunningInsecureContent on');
  if (prefs.experimentalFeatures === true) bad.push('experimentalFeatures on');
  return bad;
}

/** No <webview> may attach, whatever a page asks for (webviewTag is off; this is the second lock). */
export function applyWebviewBlock(contents: Pick<WebContents, 'on'>): void {
  contents.on('will-attach-webview', (event) => event.preventDefault());
}
