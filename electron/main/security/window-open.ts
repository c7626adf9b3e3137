import type { WebContents, WindowOpenHandlerResponse } from 'electron';

/**
 * `window.open`, `target=_blank` and friends: the console never opens another window, so every
 * request is denied. (Links to the outside world are not part of an on-prem console.)
 */
export function windowOpenDecision(_url: string): WindowOpenHandlerResponse {
  return { action: 'deny' };
}

export function applyDenyWindowOpen(contents: Pick<WebContents, 'setWindowOpenHandler'>): void {
  contents.setWindowOpenHandler((details) => windowOpenDecision(details.url));
}
