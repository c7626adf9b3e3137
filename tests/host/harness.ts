import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';
import type { ServerFrame } from '../../electron/contract/wire';
import { startHost, type RunningHost } from '../../electron/host/server';
import type { HostedNode } from '../../electron/host/hosted-node';

/** A host on 127.0.0.1:0 over a temp data folder and a tiny built-console fixture. */
export interface TestHost {
  host: RunningHost;
  dataDir: string;
  rendererRoot: string;
  base: string;
  auth: Record<string, string>;
  close(): Promise<void>;
}

export async function startTestHost(makeNode: (dataDir: string) => Promise<HostedNode & { close?: () => Promise<void> }>): Promise<TestHost> {
  const dir = await mkdtemp(join(tmpdir(), 'closeloop-host-'));
  const dataDir = join(dir, 'data');
  const rendererRoot = join(dir, 'renderer');
  await mkdir(join(rendererRoot, 'assets'), { recursive: true });
  await writeFile(join(rendererRoot, 'index.html'), '<!doctype html><title>Closeloop</title><div id="app"></div>');
  await writeFile(join(rendererRoot, 'assets', 'app.js'), 'console.log("console")');
  await writeFile(join(dir, 'secret.txt'), 'do not serve me');
  const node = await makeNode(dataDir);
  const host = await startHost({ node, rendererRoot, dataDir, seat: 'AA', port: 0 });
  return {
    host,
    dataDir,
    rendererRoot,
    base: host.url.replace(/\/$/, ''),
    auth: { authorization: `Bearer ${host.token}` },
    async close() {
      await host.close();
      await node.close?.();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** A raw GET whose path is sent as written (fetch would normalise `..` away). */
export function rawGet(port: number, path: string, headers: Record<string, string> = {}): Promise<{ status: number; body: string; headers: Record<string, string | string[] | undefined> }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, headers: res.headers }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** A WebSocket client that collects frames and answers `call` with the matching reply. */
export interface TestSocket {
  ws: WebSocket;
  frames: ServerFrame[];
  call(name: string, input: unknown): Promise<ServerFrame & { t: 'reply' }>;
  sendRaw(data: string | Buffer): void;
  next(pred: (f: ServerFrame) => boolean, ms?: number): Promise<ServerFrame>;
  closed(): Promise<number>;
}

export async function openSocket(port: number, headers: Record<string, string> = {}): Promise<TestSocket> {
  const ws = new WebSocket(`ws://127.0.0.1:${port}/ws`, { headers });
  const frames: ServerFrame[] = [];
  const waiters: { pred: (f: ServerFrame) => boolean; resolve: (f: ServerFrame) => void }[] = [];
  ws.on('message', (data) => {
    const f = JSON.parse(String(data)) as ServerFrame;
    frames.push(f);
    for (const w of [...waiters]) {
      if (w.pred(f)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(f);
      }
    }
  });
  const closedAt = new Promise<number>((resolve) => ws.on('close', (code) => resolve(code)));
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  let nextId = 1;
  const next = (pred: (f: ServerFrame) => boolean, ms = 5000) =>
    new Promise<ServerFrame>((resolve, reject) => {
      const seen = frames.find(pred);
      if (seen) return resolve(seen);
      const timer = setTimeout(() => reject(new Error('no matching frame')), ms);
      waiters.push({ pred, resolve: (f) => { clearTimeout(timer); resolve(f); } });
    });
  return {
    ws,
    frames,
    async call(name, input) {
      const id = nextId++;
      ws.send(JSON.stringify({ t: 'call', id, name, input }));
      return (await next((f) => f.t === 'reply' && f.id === id)) as ServerFrame & { t: 'reply' };
    },
    sendRaw: (data) => ws.send(data),
    next,
    closed: () => closedAt,
  };
}
