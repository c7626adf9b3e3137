/**
 * IPC calls are answered only for frames showing the app itself (Electron security checklist:
 * validate the sender of every IPC message), so a page that somehow got into a frame cannot
 * reach the local node.
 */
import { isAppUrl } from './origins';

export function isTrustedSender(frameUrl: string | undefined | null, origins: readonly string[]): boolean {
  return typeof frameUrl === 'string' && isAppUrl(frameUrl, origins);
}
