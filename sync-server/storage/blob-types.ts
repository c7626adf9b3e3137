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
   * stored or recorded) bytes whose SHA-256 is not `hash`. The blob is kept from then on (no longer
   * provisional, see putProvisionalBlob). True when the bytes were new.
   */
  putBlob(hash: string, bytes: Uint8Array, site?: string): Promise<boolean>;
  /** The sites the blob is recorded for, sorted; [] for an unknown blob or one stored before sites were recorded. */
  blobSites(hash: string): Promise<string[]>;
  /** The bytes, or null when no blob has that hash. */
  getBlob(hash: string): Promise<Uint8Array | null>;
  hasBlob(hash: string): Promise<boolean>;
  /**
   * Removes the blob: its bytes first, then its site and provisional records (a crash in between
   * leaves records without bytes, never bytes without their sites). True when the bytes were there.
   */
  deleteBlob(hash: string): Promise<boolean>;
  /**
   * Provisional blobs — photos a requester sent through the portal that no report has taken yet.
   * `putBlob` is everyone else's (a seat's upload, a restore): it makes the blob kept, so a blob
   * becomes provisional only here, and only when the portal is the first to store it (or it is
   * provisional already: a later photo moves `at` forward and adds `site`). Bytes a seat or a
   * ticket already has are never made provisional. Otherwise like putBlob; true when the bytes were new.
   */
  putProvisionalBlob(hash: string, bytes: Uint8Array, site: string, at: Date): Promise<boolean>;
  /** The blob is someone's now (a ticket took it, a seat claimed it): forgets its provisional records. */
  keepBlob(hash: string): Promise<void>;
  /** Provisional blobs whose latest mark is before `before`, oldest first, with the sites the portal stored them for. */
  provisionalBlobs(before: Date): Promise<ProvisionalBlob[]>;
  /**
   * Deletes the blob (as deleteBlob) only if, checked atomically with any store or keep of it, it is
   * still provisional, its latest mark is before `before`, and it is recorded for no site the portal
   * did not store it for. True when it was deleted.
   */
  expireBlob(hash: string, before: Date): Promise<boolean>;
}

export interface ProvisionalBlob {
  hash: string;
  sites: string[];
  /** The latest mark. */
  at: Date;
}

/** Whether a provisional blob may go: marked before `before` and recorded for no other site. */
export function expired(p: { sites: readonly string[]; at: Date } | null, blobSites: readonly string[], before: Date): boolean {
  return !!p && p.sites.length > 0 && p.at.getTime() < before.getTime() && blobSites.every((s) => p.sites.includes(s));
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
