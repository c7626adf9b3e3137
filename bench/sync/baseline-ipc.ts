import type { AutomergeUrl } from '@automerge/automerge-repo';
import { ChildWorker } from './ipc';
import type { Seen } from './stats';

/** The commands a baseline seat process takes (baseline-seat.ts) and its replies. */
export type BaselineCommand =
  | { cmd: 'connect'; url: string; seats: string[]; later?: boolean }
  | { cmd: 'open'; seats: string[]; urls: AutomergeUrl[]; timeoutMs: number }
  | { cmd: 'record'; on: boolean }
  | { cmd: 'edit'; seat: string; url: AutomergeUrl; n: number }
  | { cmd: 'seen' }
  | { cmd: 'create'; seat: string; count: number }
  | { cmd: 'findAll'; seat: string; urls: AutomergeUrl[]; capMs: number; concurrency: number }
  | { cmd: 'stop' };

export interface BaselineReply {
  ok: boolean;
  error?: string;
  at?: number | null;
  ms?: number;
  count?: number;
  urls?: AutomergeUrl[];
  seen?: Seen[];
}

export type BaselineSeats = ChildWorker<BaselineCommand, BaselineReply>;
export const baselineSeats = (): BaselineSeats => new ChildWorker<BaselineCommand, BaselineReply>('./baseline-seat.ts');
