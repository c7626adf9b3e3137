import { randomUUID } from 'node:crypto';
import { checkSize, safeName } from '../../../domain';
import { ATTACHMENT_CHUNK_CHARS } from '../../contract/attachments';
import { ContractError, type CallContext, type ErrorCode, type Handlers, type Session } from '../../contract/ipc';
import { AttachmentRefused, type AttachmentService } from './service';

type AttachmentHandlers = Pick<Handlers, 'attachments.add' | 'attachments.begin' | 'attachments.chunk' | 'attachments.finish' | 'attachments.attach' | 'attachments.get'>;

export interface AttachmentHandlerDeps {
  service: AttachmentService;
  requireSession: (ctx: CallContext) => Session;
  /** Tickets whose attachments changed: consoles are told. */
  changed: (ids: string[]) => void;
  clock: () => number;
}

interface Staged {
  name: string;
  size: number;
  chunks: Buffer[];
  received: number;
  user: string;
  touched: number;
}

/** At most this many unfinished uploads per node, each forgotten after 10 minutes idle. */
const MAX_STAGED = 8;
const STAGED_IDLE_MS = 10 * 60_000;

const CODE: Record<AttachmentRefused['code'], ErrorCode> = {
  too_large: 'bad_request', empty: 'bad_request', unsupported_type: 'bad_request', type_mismatch: 'bad_request', bad_image: 'bad_request',
  unavailable: 'unavailable', not_found: 'not_found',
};

function asContractError(e: unknown, field?: string): never {
  if (e instanceof AttachmentRefused) throw new ContractError({ code: CODE[e.code], message: e.message, ...(field ? { field } : {}) });
  throw e;
}

const decode = (b64: string): Uint8Array => {
  const buf = Buffer.from(b64, 'base64');
  return new Uint8Array(buf.buffer, buf.byteOffset, buf.length);
};

/** The contract's attachment calls over the seat's AttachmentService. */
export function attachmentHandlers(deps: AttachmentHandlerDeps): AttachmentHandlers {
  const staged = new Map<string, Staged>();
  const sweep = () => {
    const now = deps.clock();
    for (const [id, s] of staged) if (now - s.touched > STAGED_IDLE_MS) staged.delete(id);
  };
  const who = (s: Session) => ({ user: s.user.id, seat: s.seat });

  async function added(name: string, bytes: Uint8Array, s: Session, ticketId: string | undefined) {
    const out = await deps.service.add(name, bytes, who(s)).catch((e: unknown) => asContractError(e, 'dataBase64'));
    if (ticketId) await attach(ticketId, [out.ref], s);
    return out;
  }

  async function attach(ticketId: string, refs: { hash: string; name: string; thumb?: string | undefined }[], s: Session) {
    const clean = refs.map((r) => ({ hash: r.hash, name: safeName(r.name), ...(r.thumb ? { thumb: r.thumb } : {}) }));
    const ticket = await deps.service.attach(ticketId, clean, who(s)).catch((e: unknown) => asContractError(e, 'refs'));
    if (!ticket) throw new ContractError({ code: 'not_found', message: `找不到工单 ${ticketId}`, field: 'ticketId' });
    deps.changed([ticketId]);
    return ticket;
  }

  return {
    'attachments.add': async ({ ticketId, name, dataBase64 }, ctx) => added(name, decode(dataBase64), deps.requireSession(ctx), ticketId),

    'attachments.begin': async ({ name, size }, ctx) => {
      const s = deps.requireSession(ctx);
      const tooBig = checkSize(safeName(name), size, deps.service.maxBytes);
      if (tooBig) throw new ContractError({ code: 'bad_request', message: tooBig.message, field: 'size' });
      sweep();
      if (staged.size >= MAX_STAGED) throw new ContractError({ code: 'unavailable', message: '同时上传的文件过多，请稍后再试' });
      const uploadId = randomUUID();
      staged.set(uploadId, { name, size, chunks: [], received: 0, user: s.user.id, touched: deps.clock() });
      return { uploadId, chunkChars: ATTACHMENT_CHUNK_CHARS };
    },

    'attachments.chunk': async ({ uploadId, dataBase64 }, ctx) => {
      const s = deps.requireSession(ctx);
      const up = staged.get(uploadId);
      if (!up || up.user !== s.user.id) throw new ContractError({ code: 'not_found', message: '上传已过期或不存在，请重新选择文件', field: 'uploadId' });
      const part = Buffer.from(dataBase64, 'base64');
      if (up.received + part.length > up.size) {
        staged.delete(uploadId);
        throw new ContractError({ code: 'bad_request', message: `收到的内容超过了声明的大小（${up.size} 字节），上传已取消`, field: 'dataBase64' });
      }
      up.chunks.push(part);
      up.received += part.length;
      up.touched = deps.clock();
      return { received: up.received };
    },

    'attachments.finish': async ({ uploadId, ticketId }, ctx) => {
      const s = deps.requireSession(ctx);
      const up = staged.get(uploadId);
      if (!up || up.user !== s.user.id) throw new ContractError({ code: 'not_found', message: '上传已过期或不存在，请重新选择文件', field: 'uploadId' });
      staged.delete(uploadId);
      if (up.received !== up.size) throw new ContractError({ code: 'bad_request', message: `文件不完整：收到 ${up.received} / ${up.size} 字节，请重新上传`, field: 'uploadId' });
      const all = Buffer.concat(up.chunks as Uint8Array[]);
      return added(up.name, new Uint8Array(all.buffer, all.byteOffset, all.length), s, ticketId);
    },

    'attachments.attach': async ({ ticketId, refs }, ctx) => {
      const ticket = await attach(ticketId, refs, deps.requireSession(ctx));
      return { ticketId, attachments: ticket.attachments ?? [] };
    },

    'attachments.get': async ({ hash }, ctx) => {
      deps.requireSession(ctx);
      const { bytes, mime } = await deps.service.fetch(hash).catch((e: unknown) => asContractError(e, 'hash'));
      return { hash, mime, size: bytes.length, dataBase64: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64') };
    },
  };
}
