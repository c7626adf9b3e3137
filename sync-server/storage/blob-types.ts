/**
 * Attachment bytes on the server (issue 7), content-addressed: the key is the SHA-256 (hex) of
 * the bytes, so a file attached twice — by one seat or by several — is stored once, and a stored
 * blob can be checked against its name at any time. Embedded keeps one file per blob in a folder
 * beside the database; PostgreSQL keeps them in `cl_blobs` so every instance sees them.
 *
 * A blob belongs to the sites it was uploaded for: the store keeps (hash, site) pairs, and the
 * blob routes serve a blob only to people who work for one of them. A blob with no site at all was
 * stored before sites were recorded (see docs/operations.md: still readable by any signed-in seat).
 */
export interface BlobStorage {
  /**
   * Stores `bytes` under `hash` once it is durable, and records it for `site` when given (also when
   * the bytes were already there: having them is the proof). Refuses (BlobHashMismatch, nothing
   * stored or recorded) bytes whose SHA-256 is not `hash`. True when the bytes were new.
   */
  putBlob(hash: string, bytes: Uint8Array, site?: string): Promise<boolean>;
  /** The sites the blob is recorded for, sorted; [] for an unknown blob or one stored before sites were recorded. */
  blobSites(hash: string): Promise<string[]>;
  /** The bytes, or null when no blob has that hash. */
  getBlob(hash: string): Promise<Uint8Array | null>;
  hasBlob(hash: string): Promise<boolean>;
}

export class BlobHashMismatch extends Error {
  constructor(
    readonly expected: string,
    readonly actual: string,
  ) {
    super(`the body's SHA-256 is ${actual}, not ${expected}`);
    this.name = 'BlobHashMismatch';
  }
}

export const BLOB_HASH = /^[0-9a-f]{64}$/;

/** Throws unless `hash` is a content address (64 lowercase hex): the only names blobs have. */
export function assertBlobHash(hash: string): void {
  if (!BLOB_HASH.test(hash)) throw new RangeError(`not a content hash: ${hash.slice(0, 80)}`);
}
