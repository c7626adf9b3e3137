import { ContractError, ERROR_CODES } from '../../../electron/contract/ipc';
import type { ContractErrorBody, ErrorCode } from '../types';

export { ContractError };

/**
 * The local node could not be reached (the WebSocket is down, or dropped while a call was on its
 * way). The contract has no code for "unreachable", so it travels as `internal` and is told apart
 * by its class (`unreachable`), e.g. to say "retry" rather than "report a bug".
 */
export class ConnectionError extends ContractError {
  readonly unreachable = true;
  constructor(message: string) {
    super({ code: 'internal', message });
    this.name = 'ConnectionError';
  }
}

function isErrorCode(v: unknown): v is ErrorCode {
  return typeof v === 'string' && (ERROR_CODES as readonly string[]).includes(v);
}

function asBody(v: unknown): ContractErrorBody | null {
  if (typeof v !== 'object' || v === null) return null;
  const o = v as Record<string, unknown>;
  if (!isErrorCode(o.code) || typeof o.message !== 'string') return null;
  const body: ContractErrorBody = { code: o.code, message: o.message };
  if (typeof o.field === 'string') body.field = o.field;
  if (Array.isArray(o.problems)) body.problems = o.problems as ContractErrorBody['problems'];
  return body;
}

/**
 * Any failure as a ContractError. Errors crossing Electron's context bridge lose their class, so a
 * plain object or Error that still carries a body (or the body's fields) is rebuilt here.
 */
export function toContractError(e: unknown): ContractError {
  if (e instanceof ContractError) return e;
  const body = asBody(e) ?? (typeof e === 'object' && e !== null ? asBody((e as { body?: unknown }).body) : null);
  if (body) return new ContractError(body);
  const message = e instanceof Error ? e.message : String(e);
  return new ContractError({ code: 'internal', message });
}

export function errorBody(e: unknown): ContractErrorBody {
  return toContractError(e).body;
}

export function isUnreachable(e: unknown): boolean {
  return e instanceof ConnectionError;
}
