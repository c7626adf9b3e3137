import type { App, Session, WebContents } from 'electron';
import { applyCsp } from './csp';
import { applyNavigationGuard } from './navigation';
import { applyPermissionHandlers } from './permissions';
import { applyRemoteContentBlock } from './remote-content';
import { applyWebviewBlock } from './web-preferences';
import { applyDenyWindowOpen } from './window-open';

export { appOrigins, APP_HOST, APP_ORIGIN, APP_SCHEME } from './origins';
export { contentSecurityPolicy, withCsp } from './csp';
export { secureWebPreferences } from './web-preferences';
export { isTrustedSender } from './ipc-sender';

/** What the security modules enforce: the app's origins and its CSP. */
export interface SecurityPolicy {
  origins: readonly string[];
  csp: string;
}

/** Session-wide rules: CSP on every response, no remote requests, permissions denied but two. */
export function hardenSession(session: Session, policy: SecurityPolicy): void {
  applyCsp(session, policy.csp);
  applyRemoteContentBlock(session, policy.origins);
  applyPermissionHandlers(session, policy.origins);
}

/** Per web contents: no new windows, no foreign navigation, no <webview>. */
export function hardenContents(contents: WebContents, policy: SecurityPolicy): void {
  applyDenyWindowOpen(contents);
  applyNavigationGuard(contents, policy.origins);
  applyWebviewBlock(contents);
}

/** Applies the per-contents rules to every web contents the app ever creates. */
export function hardenEveryContents(app: Pick<App, 'on'>, policy: SecurityPolicy): void {
  app.on('web-contents-created', (_event, contents) => hardenContents(contents, policy));
}
