#!/usr/bin/env node
// `npm start`: build the console if it is missing, then run the Electron app when its binary is
// installed, or else serve the same local node to a browser with the host (electron/host).
import { spawn, spawnSync } from 'node:child_process';
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

function run(command, commandArgs, env = process.env) {
  const child = spawn(command, commandArgs, { cwd: root, stdio: 'inherit', env });
  // Ctrl-C reaches the child through the terminal; a SIGTERM sent to us alone is passed on.
  for (const signal of ['SIGTERM', 'SIGHUP']) process.on(signal, () => child.kill(signal));
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
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

if (electron) {
  run(electron, ['.', ...args], { ...process.env, CLOSELOOP_DEMO: process.env.CLOSELOOP_DEMO ?? '5000' });
} else {
  console.log('未安装 Electron 可执行文件：改为在浏览器中使用（本机 127.0.0.1）');
  run(process.execPath, ['--import', 'tsx', 'electron/host/main.ts', '--demo', '5000', ...args]);
}
