import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import { dispatch, isCallName, type CallContext, type ContractErrorBody } from '../contract/ipc';
import { MAX_FRAME_BYTES, WS_PATH, type EventFrame, type ReplyFrame } from '../contract/wire';
import type { HostedNode } from './hosted-node';
import { hostAllowed, originAllowed } from './http-util';

/**
 * The contract over WebSocket (wire.ts frames), one CallContext per connection. A frame over
 * MAX_FRAME_BYTES, malformed JSON or a frame of the wrong shape is answered with a typed
 * `bad_request` reply (id -1 when the frame's id cannot be read) and the connection stays up; a
 * frame past HARD_LIMIT_BYTES closes the connection (1009) before it is buffered whole.
 */
export const HARD_LIMIT_BYTES = 4 * MAX_FRAME_BYTES;
/** The reply id for a frame whose own id could not be read. */
export const UNATTRIBUTED_ID = -1;
const HEARTBEAT_MS = 30_000;

export interface ContractSocket {
  connections(): number;
  close(): Promise<void>;
}

function reject(socket: Duplex, status: number, text: string): void {
  socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
}

/** Reads `"id": 123` near the start of a frame that is too large (or broken) to parse. */
function peekId(text: string): number {
  const m = /"id"\s*:\s*(\d{1,15})/.exec(text.slice(0, 200));
  return m?.[1] ? Number(m[1]) : UNATTRIBUTED_ID;
}

/** A frame's bytes as one Buffer ('nodebuffer' gives one; the other shapes for safety). */
function frameBytes(data: RawData): Buffer {
  if (Buffer.isBuffer(data)) return data;
  if (Array.isArray(data)) return Buffer.from(data.map((b) => b.toString('latin1')).join(''), 'latin1');
  return Buffer.from(data);
}

function errorReply(id: number, error: ContractErrorBody): ReplyFrame {
  return { t: 'reply', id, reply: { ok: false, error } };
}

export function attachContractSocket(server: Server, node: HostedNode, port: () => number): ContractSocket {
  const wss = new WebSocketServer({ noServer: true, maxPayload: HARD_LIMIT_BYTES });
  const alive = new WeakMap<WebSocket, boolean>();

  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const path = (req.url ?? '').split('?')[0];
    if (path !== WS_PATH) return reject(socket, 404, 'Not Found');
    if (!hostAllowed(req, port()) || !originAllowed(req, port())) return reject(socket, 403, 'Forbidden');
    wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
  });

  wss.on('connection', (ws: WebSocket) => {
    const ctx: CallContext = { session: null };
    alive.set(ws, true);
    ws.on('pong', () => alive.set(ws, true));
    ws.on('error', () => ws.terminate());
    ws.on('message', (data: RawData, isBinary: boolean) => {
      void answer(ctx, data, isBinary).then((frame) => {
        if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(frame));
      });
    });
  });

  async function answer(ctx: CallContext, data: RawData, isBinary: boolean): Promise<ReplyFrame> {
    const bytes = frameBytes(data);
    // Only the head of a refused frame is decoded, to find its id.
    const head = () => bytes.subarray(0, 200).toString('utf8');
    if (isBinary) return errorReply(peekId(head()), { code: 'bad_request', message: '消息须为 JSON 文本帧', field: 'frame' });
    if (bytes.length > MAX_FRAME_BYTES) {
      return errorReply(peekId(head()), { code: 'bad_request', message: `消息过大（上限 ${MAX_FRAME_BYTES} 字节）`, field: 'frame' });
    }
    const text = bytes.toString('utf8');
    let frame: unknown;
    try {
      frame = JSON.parse(text);
    } catch {
      return errorReply(peekId(text), { code: 'bad_request', message: '消息不是有效的 JSON', field: 'frame' });
    }
    if (typeof frame !== 'object' || frame === null || Array.isArray(frame)) return errorReply(UNATTRIBUTED_ID, { code: 'bad_request', message: '消息格式有误', field: 'frame' });
    const f = frame as Record<string, unknown>;
    const id = typeof f.id === 'number' && Number.isSafeInteger(f.id) ? f.id : UNATTRIBUTED_ID;
    if (f.t !== 'call') return errorReply(id, { code: 'bad_request', message: '消息类型须为 call', field: 't' });
    if (id === UNATTRIBUTED_ID) return errorReply(id, { code: 'bad_request', message: '消息缺少整数 id', field: 'id' });
    if (typeof f.name !== 'string' || !isCallName(f.name)) {
      return errorReply(id, { code: 'bad_request', message: `未知调用：${String(f.name)}`, field: 'name' });
    }
    const reply = await dispatch(node.handlers, f.name, f.input, ctx);
    return { t: 'reply', id, reply };
  }

  const unsubscribe = node.subscribe((name, payload) => {
    const frame: EventFrame = { t: 'event', name, payload };
    const text = JSON.stringify(frame);
    for (const ws of wss.clients) if (ws.readyState === ws.OPEN) ws.send(text);
  });

  const heartbeat = setInterval(() => {
    for (const ws of wss.clients) {
      if (alive.get(ws) === false) {
        ws.terminate();
        continue;
      }
      alive.set(ws, false);
      ws.ping();
    }
  }, HEARTBEAT_MS);
  heartbeat.unref();

  return {
    connections: () => wss.clients.size,
    close: () =>
      new Promise<void>((resolve) => {
        clearInterval(heartbeat);
        unsubscribe();
        for (const ws of wss.clients) ws.close(1001, 'server shutting down');
        // A client that does not answer the close handshake is cut off after a second.
        setTimeout(() => {
          for (const ws of wss.clients) ws.terminate();
        }, 1000).unref();
        wss.close(() => resolve());
      }),
  };
}
