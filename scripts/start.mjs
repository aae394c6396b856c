#!/usr/bin/env node
// `npm start`: build the console, then run the collector serving it (extra args pass through,
// e.g. `npm start -- --demo`).
import { spawnSync, spawn } from 'node:child_process';

const args = process.argv.slice(2);
const build = spawnSync('npx', ['vite', 'build', '--logLevel', 'warn'], { stdio: 'inherit' });
if (build.status !== 0) {
  console.error('tapscope: building the console failed (see above)');
  process.exit(build.status ?? 1);
}
const child = spawn('npx', ['tsx', 'collector/cli.ts', ...args], { stdio: 'inherit' });
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
