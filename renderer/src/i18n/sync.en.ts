import type syncZhCN from './sync.zh-CN';

/** The sync link's strings in English. */
const syncEn: Record<keyof typeof syncZhCN, string> = {
  'sync.online': 'Synced',
  'sync.offline': 'Offline',
  'sync.connecting': 'Connecting to the sync server…',
  'sync.signedOut': 'Not signed in to the sync server',
  'sync.pending': '{count} changes waiting',
  'sync.lastSync': 'last sync {time}',
  'sync.never': 'not synced yet',
  'sync.progress.bootstrap': 'Fetching tickets from the server {done}/{total}',
  'sync.progress.catch-up': 'Catching up with the server {done}/{total}',
  'sync.progress.starting': 'Preparing to fetch the site’s tickets…',
  'sync.banner.offline': 'The sync server cannot be reached: tickets are saved on this seat and sync when the connection returns.',
  'sync.banner.pending': '{count} local changes are waiting to be sent.',
  'sync.banner.error': 'Sync problem: {message}',
  'sync.tooltip': 'Sync server {server} · seat {seat} · account {user}',
  'signIn.password': 'Password',
  'signIn.passwordFor': 'Sign in as {name}: enter the password',
  'signIn.submit': 'Sign in',
  'signIn.cancel': 'Back',
  'signIn.syncHint': 'This seat syncs with {server}: choose who you are and enter the password. Offline, people who signed in on this seat before can sign in with the same password.',
};
export default syncEn;
