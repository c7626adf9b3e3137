import type { SyncStorage } from '../storage/types';

/**
 * The audit side of `admin updates publish`. The CLI copies the build into the feed folder itself
 * (it runs on the server's host with access to both; the service's sandbox — PrivateTmp,
 * ProtectHome — may not see the build folder), then records the publication through the admin
 * service like every other admin command: directly in the storage, or through the running
 * server's admin socket. Returns undefined for any other command.
 */
export const UPDATE_PUBLISHED_CMD = 'updates-published';

export class UpdatesAdminError extends Error {}

const list = (v: string | undefined): string[] => (v ?? '').split(',').map((s) => s.trim()).filter(Boolean);

export async function updatesAdmin(
  storage: SyncStorage,
  cmd: string,
  args: Record<string, string | undefined>,
  now: () => Date,
  by: { by: string; seat?: string; device?: string },
): Promise<unknown> {
  if (cmd !== UPDATE_PUBLISHED_CMD) return undefined;
  const version = args.version?.trim();
  const channels = list(args.channels);
  const files = list(args.files);
  if (!version || !/^\d+\.\d+\.\d+/.test(version) || channels.length === 0 || files.length === 0) {
    throw new UpdatesAdminError(`${UPDATE_PUBLISHED_CMD} needs the published version, channel files and files (run \`updates publish <dist>\`)`);
  }
  const detail = { version, channels, files, feed: args.feed ?? null, from: args.from ?? null };
  await storage.appendAudit([{ at: now().toISOString(), kind: 'update_published', detail: { ...detail, ...by } }]);
  return { published: true, ...detail };
}
