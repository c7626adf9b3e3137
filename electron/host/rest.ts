import type { IncomingMessage, ServerResponse } from 'node:http';
import { dispatch, type CallContext, type CallName, type CallOutput, type ContractErrorBody } from '../contract/ipc';
import type { HostedNode } from './hosted-node';
import { badRequest, HttpError, readJsonBody, sendError, sendJson, STATUS_FOR_CODE } from './http-util';
import { bearerMatches } from './token';

/**
 * A small local REST API for telephony screen-pops and scripts. Every route goes through the
 * contract's `dispatch` — the same validation and handlers as the console — so a bad request is
 * refused before anything is written. Errors are `{error: {code, message, field?, problems?}}`.
 *
 *   POST /api/tickets                     {form}           create (201)
 *   GET  /api/tickets?state=&assignee=&pool=&q=&offset=&limit=&awaiting=&sort=
 *   GET  /api/tickets/:id                 uuid or number (MX20261124-0001)
 *   POST /api/tickets/:id/transition      {action, input}
 */
export interface RestOptions {
  node: HostedNode;
  token: string;
  tokenPath: string;
  /** The seat the node runs as (the acting session's seat). */
  seat: string;
  /** Largest request body accepted (bytes). */
  bodyLimit?: number;
}

export const USER_HEADER = 'x-closeloop-user';
const USER_FIELD = 'X-Closeloop-User';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const LIST_PARAMS: Record<string, string> = { state: 'states', assignee: 'assignee', pool: 'pool', q: 'text', offset: 'offset', limit: 'limit', awaiting: 'awaitingInfo', sort: 'sort' };

async function run<K extends CallName>(node: HostedNode, name: K, input: unknown, ctx: CallContext, rename: Record<string, string> = {}): Promise<CallOutput<K>> {
  const reply = await dispatch(node.handlers, name, input, ctx);
  if (reply.ok) return reply.value;
  if (reply.error.code === 'not_signed_in') {
    throw new HttpError(401, { code: 'not_signed_in', message: `请在请求头 ${USER_FIELD} 中给出操作人的人员编号`, field: USER_FIELD });
  }
  throw new HttpError(STATUS_FOR_CODE[reply.error.code], renameField(reply.error, rename));
}

/** Names the field as the caller spelt it (a query parameter rather than the contract's key). */
function renameField(error: ContractErrorBody, rename: Record<string, string>): ContractErrorBody {
  if (error.field === undefined) return error;
  const head = error.field.split('.')[0] ?? '';
  const outer = Object.entries(rename).find(([, inner]) => inner === head)?.[0];
  return outer === undefined ? error : { ...error, field: outer, message: error.message.replace(`（${error.field}）`, `（${outer}）`) };
}

/**
 * Who acts: the person named in X-Closeloop-User, for this request only. (Not through
 * `session.signIn`, which also makes that person the seat's default user.) Without the header a
 * read runs as the node decides (the seat's signed-in user); a write is refused.
 */
async function contextFor(req: IncomingMessage, node: HostedNode, seat: string, required: boolean): Promise<CallContext> {
  const ctx: CallContext = { session: null };
  const raw = req.headers[USER_HEADER];
  const userId = (Array.isArray(raw) ? raw[0] : raw)?.trim();
  if (!userId) {
    if (required) throw badRequest(`写操作须在请求头 ${USER_FIELD} 中给出操作人的人员编号`, USER_FIELD);
    return ctx;
  }
  const people = await run(node, 'site.info', {}, ctx).then((s) => s.people);
  const user = people.find((p) => p.id === userId);
  if (!user) throw badRequest(`未知人员：${userId}（请求头 ${USER_FIELD}）`, USER_FIELD);
  return { session: { user, seat } };
}

function listInput(params: URLSearchParams): Record<string, unknown> {
  const input: Record<string, unknown> = {};
  for (const [key, value] of params) {
    const name = LIST_PARAMS[key];
    if (name === undefined) throw badRequest(`未知查询参数：${key}（可用：${Object.keys(LIST_PARAMS).join('、')}）`, key);
    if (value === '') continue;
    if (key === 'state') input[name] = value.split(',').map((s) => s.trim()).filter(Boolean);
    else if (key === 'assignee') input[name] = value === 'none' ? null : value;
    else if (key === 'offset' || key === 'limit') {
      if (!/^\d{1,9}$/.test(value)) throw badRequest(`${key} 须为非负整数`, key);
      input[name] = Number(value);
    } else if (key === 'awaiting') {
      if (value !== 'true' && value !== 'false') throw badRequest('awaiting 须为 true 或 false', key);
      input[name] = value === 'true';
    } else input[name] = value;
  }
  return input;
}

/** A ticket's uuid from a uuid or a ticket number the list can find. */
async function resolveTicketId(node: HostedNode, ref: string, ctx: CallContext): Promise<string> {
  if (UUID.test(ref)) return ref;
  const wanted = ref.trim().toUpperCase();
  if (wanted.length > 0 && wanted.length <= 64) {
    const { rows } = await run(node, 'tickets.list', { text: wanted, limit: 50 }, ctx);
    const row = rows.find((r) => r.no.toUpperCase() === wanted);
    if (row) return row.id;
  }
  throw new HttpError(404, { code: 'not_found', message: `找不到工单：${ref}`, field: 'id' });
}

function asObject(body: unknown): Record<string, unknown> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw badRequest('请求体须为 JSON 对象', 'body');
  return body as Record<string, unknown>;
}

export function createRestApi(opts: RestOptions): (req: IncomingMessage, res: ServerResponse) => Promise<void> {
  const { node } = opts;
  const limit = opts.bodyLimit ?? 256 * 1024;

  async function route(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    if (!bearerMatches(req.headers.authorization, opts.token)) {
      throw new HttpError(401, { code: 'not_signed_in', message: `缺少或错误的访问令牌：请求头 Authorization: Bearer <令牌>，令牌见 ${opts.tokenPath}`, field: 'Authorization' }, { 'www-authenticate': 'Bearer realm="closeloop"' });
    }
    const parts = url.pathname.split('/').filter(Boolean).map((p) => decodeURIComponent(p));
    const method = req.method ?? 'GET';
    const allow = (methods: string): never => {
      throw new HttpError(405, { code: 'bad_request', message: `不支持的方法 ${method}` }, { allow: methods });
    };
    if (parts[0] !== 'api' || parts[1] !== 'tickets' || parts.length > 4) throw new HttpError(404, { code: 'not_found', message: `没有这个接口：${url.pathname}` });

    if (parts.length === 2) {
      if (method === 'GET') {
        const ctx = await contextFor(req, node, opts.seat, false);
        return sendJson(res, 200, await run(node, 'tickets.list', listInput(url.searchParams), ctx, LIST_PARAMS));
      }
      if (method !== 'POST') return allow('GET, POST');
      const body = asObject(await readJsonBody(req, limit));
      const ctx = await contextFor(req, node, opts.seat, true);
      const view = await run(node, 'tickets.create', body, ctx);
      return sendJson(res, 201, view, { location: `/api/tickets/${view.ticket.id}` });
    }
    const ref = parts[2] ?? '';
    if (parts.length === 3) {
      if (method !== 'GET') return allow('GET');
      const ctx = await contextFor(req, node, opts.seat, false);
      return sendJson(res, 200, await run(node, 'tickets.get', { id: await resolveTicketId(node, ref, ctx) }, ctx));
    }
    if (parts[3] !== 'transition') throw new HttpError(404, { code: 'not_found', message: `没有这个接口：${url.pathname}` });
    if (method !== 'POST') return allow('POST');
    const body = asObject(await readJsonBody(req, limit));
    const ctx = await contextFor(req, node, opts.seat, true);
    const id = await resolveTicketId(node, ref, ctx);
    return sendJson(res, 200, await run(node, 'tickets.transition', { id, action: body.action, input: body.input }, ctx));
  }

  return async (req, res) => {
    try {
      await route(req, res, new URL(req.url ?? '/', 'http://127.0.0.1'));
    } catch (e) {
      if (e instanceof HttpError) return sendError(res, e.status, e.body, e.headers);
      if (e instanceof URIError) return sendError(res, 400, { code: 'bad_request', message: '路径编码有误', field: 'path' });
      sendError(res, 500, { code: 'internal', message: `内部错误：${e instanceof Error ? e.message : String(e)}` });
    }
  };
}
