import type { WebContents } from 'electron';
import { isAppUrl } from './origins';

/**
 * Navigation allow-list: a frame may only navigate (or be redirected) within the app's own
 * origins. Anything else — a link to the internet, a file:// URL, javascript: — is stopped.
 */
export function isAllowedNavigation(url: string, origins: readonly string[]): boolean {
  return isAppUrl(url, origins);
}

interface Preventable {
  preventDefault(): void;
}
type NavigationListener = (event: Preventable, url: string) => void;

/** The subset of WebContents the guard needs (so tests can pass a fake). */
export interface NavigationEvents {
  on(event: 'will-navigate' | 'will-redirect', listener: NavigationListener): unknown;
}

export function applyNavigationGuard(contents: NavigationEvents | WebContents, origins: readonly string[]): void {
  const guard: NavigationListener = (event, url) => {
    if (!isAllowedNavigation(url, origins)) event.preventDefault();
  };
  // WebContents' overloads type each event separately; the guard fits all three.
  const target = contents as NavigationEvents;
  target.on('will-navigate', guard);
  target.on('will-redirect', guard);
}
