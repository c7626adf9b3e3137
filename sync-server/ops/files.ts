import { closeSync, fsyncSync, openSync, renameSync, writeSync } from 'node:fs';

/** Writes a file whole or not at all: `<path>.partial`, fsync, rename. */
export function writeFileAtomic(path: string, text: string): void {
  const partial = `${path}.partial`;
  const fd = openSync(partial, 'w', 0o640);
  try {
    writeSync(fd, text);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(partial, path);
}
