#!/usr/bin/env node
// `npm start`: build the console if it is missing, then run the Electron app when its binary is
// installed, or else serve the same local node to a browser with the host (electron/host).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
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

const electron = electronBinary();
const built = ['out/renderer/index.html', ...(electron ? ['out/main/index.js', 'out/preload/index.cjs'] : [])];
if (built.some((f) => !existsSync(join(root, f)))) build();

if (electron) {
  run(electron, ['.', ...args], { ...process.env, CLOSELOOP_DEMO: process.env.CLOSELOOP_DEMO ?? '5000' });
} else {
  console.log('未安装 Electron 可执行文件：改为在浏览器中使用（本机 127.0.0.1）');
  run(process.execPath, ['--import', 'tsx', 'electron/host/main.ts', '--demo', '5000', ...args]);
}
