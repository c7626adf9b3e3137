import { defineStore } from 'pinia';
import { readonly, ref } from 'vue';
import { getApi } from '../api';
import type { AttachmentAdded, AttachmentRef } from '../types';

/** Base64 of bytes, in slices (String.fromCharCode on a whole photo overflows the call stack). */
export function toBase64(bytes: Uint8Array): string {
  let bin = '';
  for (let i = 0; i < bytes.length; i += 0x8000) bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(bin);
}

function fromBase64(b64: string): Uint8Array<ArrayBuffer> {
  const bin = atob(b64);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

/**
 * Attachments as the console handles them: uploads (one call for a small file, chunks for a large
 * one — the host's WebSocket takes frames of at most 1 MB), files staged during intake until the
 * ticket exists, and object URLs of blobs fetched from the node (kept per hash: content never
 * changes). Failures are thrown to the caller, which tells the person.
 */
export const useAttachmentsStore = defineStore('attachments', () => {
  const api = getApi();
  const staged = ref<Record<string, AttachmentRef>>({});
  const urls = new Map<string, Promise<string>>();

  async function upload(file: File, ticketId?: string): Promise<AttachmentAdded> {
    const bytes = new Uint8Array(await file.arrayBuffer());
    const target = ticketId ? { ticketId } : {};
    const { uploadId, chunkChars } = await api['attachments.begin']({ name: file.name, size: bytes.length });
    const step = (chunkChars / 4) * 3;
    for (let at = 0; at < bytes.length; at += step) await api['attachments.chunk']({ uploadId, dataBase64: toBase64(bytes.subarray(at, at + step)) });
    const added = await api['attachments.finish']({ uploadId, ...target });
    if (!ticketId) staged.value = { ...staged.value, [added.ref.hash]: added.ref };
    return added;
  }

  /** Puts the files staged under these hashes on the new ticket. */
  async function attachStaged(ticketId: string, hashes: readonly string[]): Promise<void> {
    const refs = hashes.map((h) => staged.value[h]).filter((r): r is AttachmentRef => r !== undefined);
    if (refs.length === 0) return;
    await api['attachments.attach']({ ticketId, refs: refs.map((r) => ({ hash: r.hash, name: r.name, ...(r.thumb ? { thumb: r.thumb } : {}) })) });
    const next = { ...staged.value };
    for (const r of refs) delete next[r.hash];
    staged.value = next;
  }

  /** An object URL of the blob (fetched from the node once, then kept). */
  function url(hash: string): Promise<string> {
    let p = urls.get(hash);
    if (!p) {
      p = api['attachments.get']({ hash }).then((d) => URL.createObjectURL(new Blob([fromBase64(d.dataBase64)], { type: d.mime })));
      p.catch(() => urls.delete(hash));
      urls.set(hash, p);
    }
    return p;
  }

  return { staged: readonly(staged), upload, attachStaged, url };
});
