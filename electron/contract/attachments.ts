import { z } from 'zod';
import type { AttachmentRef } from '../../domain';

/**
 * Attachment calls (issue 7), part of the one contract in ipc.ts. A file travels as base64: in
 * one `attachments.add` when small, or in chunks (`begin` → `chunk`… → `finish`) because the
 * browser host's WebSocket takes frames of at most 1 MB (wire.ts MAX_FRAME_BYTES). Either way the
 * node checks the size first, the type by content, strips image metadata, stores the bytes by
 * hash, and (with `ticketId`) adds the reference to the ticket.
 */

/** Base64 characters per chunk: ~540 KB of file, well inside a 1 MB frame with the JSON around it. */
export const ATTACHMENT_CHUNK_CHARS = 720_000;

const hash = z.string().regex(/^[0-9a-f]{64}$/, { error: '附件地址须为 64 位十六进制 SHA-256' });
const ticketId = z.string().min(1).max(64);
const name = z.string().min(1).max(255);
const base64 = (max: number) => z.string().min(1).max(max).regex(/^[A-Za-z0-9+/]*={0,2}$/, { error: '须为 base64' });

export const attachmentCalls = {
  /** A small file in one call (≤ ~540 KB); larger ones go through begin/chunk/finish. */
  'attachments.add': z.object({ ticketId: ticketId.optional(), name, dataBase64: base64(ATTACHMENT_CHUNK_CHARS) }),
  /** Announces an upload: refused at once when `size` is over the limit. */
  'attachments.begin': z.object({ name, size: z.number().int().min(0) }),
  'attachments.chunk': z.object({ uploadId: z.string().min(1).max(64), dataBase64: base64(ATTACHMENT_CHUNK_CHARS) }),
  'attachments.finish': z.object({ uploadId: z.string().min(1).max(64), ticketId: ticketId.optional() }),
  /** Adds stored attachments to a ticket (intake: files are added before the ticket exists). */
  'attachments.attach': z.object({ ticketId, refs: z.array(z.object({ hash, name, thumb: hash.optional() })).min(1).max(50) }),
  /** The bytes (or the thumbnail's): from the seat, or fetched from the sync server and kept. */
  'attachments.get': z.object({ hash }),
} as const;

export interface AttachmentAdded {
  ref: AttachmentRef;
  /** False when these bytes were already stored on the seat (the same file again). */
  stored: boolean;
}

export interface AttachmentUpload {
  uploadId: string;
  chunkChars: number;
}

export interface AttachmentData {
  hash: string;
  mime: string;
  size: number;
  dataBase64: string;
}

export interface AttachmentCallOutputs {
  'attachments.add': AttachmentAdded;
  'attachments.begin': AttachmentUpload;
  'attachments.chunk': { received: number };
  'attachments.finish': AttachmentAdded;
  'attachments.attach': { ticketId: string; attachments: AttachmentRef[] };
  'attachments.get': AttachmentData;
}
