import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createLocalNode } from '../main/node';
import { followClockFile, settableClock } from './clock-file';
import { offsetClock, OptionError, parseHostArgs } from './options';
import { startHost } from './server';

/**
 * The browser host's composition root: `npm run host -- --data DIR --port N --seat AB --demo N
 * --now ISO`. Opens the local node in DIR, serves it on 127.0.0.1, stops cleanly on SIGINT/SIGTERM.
 */
const USAGE = 'usage: npm run host -- [--data DIR] [--port N] [--seat AB] [--demo N] [--now ISO] [--clock-file PATH] [--server http://HOST:PORT] [--ca plant-ca.pem]';

async function main(argv: readonly string[]): Promise<void> {
  let opts;
  try {
    opts = parseHostArgs(argv);
  } catch (e) {
    if (!(e instanceof OptionError)) throw e;
    console.error(`${e.message}\n${USAGE}`);
    process.exit(2);
  }
  const dataDir = resolve(opts.dataDir);
  const rendererRoot = fileURLToPath(new URL('../../out/renderer', import.meta.url));
  const realStart = Date.now();
  const settable = opts.clockFile ? settableClock(opts.now) : null;
  const clock = settable ? settable.now : opts.now ? offsetClock(opts.now, realStart, Date.now) : undefined;

  let ca: string | undefined;
  try {
    ca = opts.ca ? readFileSync(resolve(opts.ca), 'utf8') : undefined;
  } catch (e) {
    console.error(`无法读取 --ca 证书文件 ${opts.ca}：${(e as Error).message}`);
    process.exit(2);
  }
  const node = await createLocalNode({ dataDir, seat: opts.seat, ...(clock ? { clock } : {}), ...(opts.server ? { sync: { server: opts.server, ...(ca ? { ca } : {}) } } : {}) });
  if (opts.server) console.log(`同步服务器: ${opts.server}（在控制台登录后开始同步）`);
  const unfollow = settable && opts.clockFile
    ? followClockFile(resolve(opts.clockFile), settable, () => node.clockChanged(), (m) => console.warn(m))
    : () => undefined;
  if (settable) console.warn(`测试时钟：写入 ${opts.clockFile} 的 ISO 时间即为本机节点的当前时间`);
  if (opts.demo > 0 && !opts.server) {
    const status = await node.handlers['node.status']({}, { session: null });
    if (status.ticketCount === 0) {
      const started = Date.now();
      const seeded = await node.seedDemo({ count: opts.demo, seed: 1 });
      console.log(`已生成 ${seeded} 张演示工单（${((Date.now() - started) / 1000).toFixed(1)} s）`);
    }
  }
  let host;
  try {
    host = await startHost({ node, rendererRoot, dataDir, seat: opts.seat, port: opts.port });
  } catch (e) {
    await node.close();
    if ((e as NodeJS.ErrnoException).code === 'EADDRINUSE') throw new Error(`端口 ${opts.port} 已被占用：请用 --port 指定其他端口（--port 0 自动选择）`);
    throw e;
  }
  console.log(`Closeloop 控制台: ${host.url}`);
  console.log(`REST 令牌: ${host.tokenPath}`);
  if (!existsSync(join(rendererRoot, 'index.html'))) console.warn('控制台尚未构建：请先运行 npx electron-vite build');

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) {
      console.error(`${signal}: 强制退出`);
      process.exit(1);
    }
    stopping = true;
    unfollow();
    console.log(`${signal}: 正在停止…`);
    host
      .close()
      .then(() => node.close())
      .then(() => process.exit(0))
      .catch((e: unknown) => {
        console.error(e);
        process.exit(1);
      });
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

main(process.argv.slice(2)).catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
