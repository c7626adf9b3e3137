#!/usr/bin/env node
// `npm start`: build the console if it is missing, start the sync server (embedded storage, the
// demo site mx-plant with 5,000 tickets and its people, password demo1234) and then a seat against
// it: the Electron app when its binary is installed, or else the same local node served to a
// browser by the host (electron/host). `npm start -- --alone`: one seat without a server.
// More seats: `npm run host -- --data .closeloop/seat-B --seat AB --port 5171 --server http://127.0.0.1:8787`.
import { spawn, spawnSync } from 'node:child_process';
import { createInterface } from 'node:readline';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const args = process.argv.slice(2);
const isWindows = process.platform === 'win32';

/** The Electron executable, or null when the npm package is installed without its binary. */
function electronBinary() {
  const pkg = join(root, 'node_modules', 'electron');
  const pathTxt = join(pkg, 'path.txt');
  if (!existsSync(pathTxt)) return null;
  const bin = join(pkg, 'dist', readFileSync(pathTxt, 'utf8').trim());
  return existsSync(bin) ? bin : null;
}

function build() {
  console.log('正在构建控制台（npx electron-vite build）…');
  const r = spawnSync(isWindows ? 'npx.cmd' : 'npx', ['electron-vite', 'build'], { cwd: root, stdio: 'inherit', shell: isWindows });
  if (r.status !== 0) {
    console.error('构建失败，请查看上面的输出');
    process.exit(r.status ?? 1);
  }
}

const children = [];
// Ctrl-C reaches the children through the terminal; a SIGTERM sent to us alone is passed on.
for (const signal of ['SIGTERM', 'SIGHUP']) process.on(signal, () => children.forEach((c) => c.kill(signal)));

function run(command, commandArgs, env = process.env) {
  const child = spawn(command, commandArgs, { cwd: root, stdio: 'inherit', env });
  children.push(child);
  child.on('exit', (code, signal) => {
    for (const c of children) if (c !== child && c.exitCode === null) c.kill('SIGTERM');
    process.exitCode = code ?? (signal ? 1 : 0);
  });
}

/** Starts the sync server and resolves with its address once it listens (its log goes to stderr). */
function startSyncServer(port) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'sync-server/main.ts', '--data', '.closeloop/server', '--port', String(port), '--demo', '5000'], {
    cwd: root, stdio: ['ignore', 'pipe', 'inherit'],
  });
  children.push(child);
  return new Promise((resolve, reject) => {
    const lines = createInterface({ input: child.stdout });
    lines.on('line', (line) => {
      try {
        const m = JSON.parse(line);
        if (m.event === 'listening') resolve(`http://127.0.0.1:${m.port}`);
      } catch {
        // not the ready line
      }
    });
    child.once('exit', (code) => reject(new Error(`同步服务器已退出（代码 ${code}）：端口 ${port} 是否被占用？`)));
  });
}

/** The newest modification time under the folders the build reads. */
function newestSource(dirs) {
  let newest = 0;
  const walk = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, entry.name);
      if (entry.isDirectory()) walk(p);
      else newest = Math.max(newest, statSync(p).mtimeMs);
    }
  };
  for (const d of dirs) if (existsSync(join(root, d))) walk(join(root, d));
  return newest;
}

// A fresh checkout: install first (Electron's binary is optional and cannot always be downloaded).
if (!existsSync(join(root, 'node_modules', '.package-lock.json'))) {
  console.log('首次运行：正在安装依赖（npm ci）…');
  const r = spawnSync(isWindows ? 'npm.cmd' : 'npm', ['ci', '--no-audit', '--no-fund'], {
    cwd: root, stdio: 'inherit', shell: isWindows, env: { ...process.env, ELECTRON_SKIP_BINARY_DOWNLOAD: '1' },
  });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

const electron = electronBinary();
const built = ['out/renderer/index.html', ...(electron ? ['out/main/index.js', 'out/preload/index.cjs'] : [])];
const stale = () => statSync(join(root, built[0])).mtimeMs < newestSource(['renderer', 'domain', 'electron/contract', 'electron/preload']);
if (built.some((f) => !existsSync(join(root, f))) || stale()) build();

const alone = args.includes('--alone');
const seatArgs = args.filter((a) => a !== '--alone');
let server = null;
if (!alone) {
  console.log('正在启动同步服务器（内嵌存储，演示站点 mx-plant：5000 张工单；首次启动约需 1 分钟）…');
  try {
    server = await startSyncServer(Number(process.env.CLOSELOOP_SYNC_PORT ?? 8787));
  } catch (e) {
    console.error(e.message);
    process.exit(1);
  }
  console.log(`同步服务器: ${server}（演示用户：wang.fang 坐席、zhang.wei 调度、lin.chief 夜班长、zhou.sup 主管、admin 管理员；密码 demo1234）`);
  console.log(`再开一个座席: npm run host -- --data .closeloop/seat-B --seat AB --port 5171 --server ${server}`);
}

if (electron) {
  run(electron, ['.', ...seatArgs], { ...process.env, ...(server ? { CLOSELOOP_SERVER: server } : { CLOSELOOP_DEMO: process.env.CLOSELOOP_DEMO ?? '5000' }) });
} else {
  console.log('未安装 Electron 可执行文件：改为在浏览器中使用（本机 127.0.0.1）');
  // A seat alone keeps its own folder: its locally generated demo tickets must never meet the server's.
  const data = seatArgs.includes('--data') || seatArgs.some((a) => a.startsWith('--data=')) ? [] : ['--data', server ? '.closeloop/seat-A' : '.closeloop/alone'];
  run(process.execPath, ['--import', 'tsx', 'electron/host/main.ts', ...data, ...(server ? ['--server', server] : ['--demo', '5000']), ...seatArgs]);
}
