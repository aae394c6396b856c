#!/usr/bin/env node
// `npm test`: every check, in order, stopping at the first failure. Installs the Debian packages
// the suites need when they are missing (scripts/install-system-deps.sh, as root).
import { spawnSync } from 'node:child_process';

const stages = [
  ['system packages', 'bash', ['scripts/install-system-deps.sh']],
  ['typecheck', 'npx', ['tsc', '-p', 'tsconfig.json', '--noEmit']],
  ['lint', 'npx', ['eslint', '.', '--max-warnings=0']],
  ['unit and collector tests (vitest)', 'npx', ['vitest', 'run']],
  ['build console', 'npx', ['vite', 'build', '--logLevel', 'warn']],
  ['agent tests (pytest)', 'bash', ['scripts/test-agent.sh']],
  ['end-to-end tests (playwright, chromium)', 'npx', ['playwright', 'test']],
];

const only = process.argv.slice(2);
const results = [];
for (const [name, cmd, args] of stages) {
  if (only.length && !only.some((o) => name.includes(o))) continue;
  console.log(`\n=== ${name}: ${cmd} ${args.join(' ')}`);
  const started = Date.now();
  const r = spawnSync(cmd, args, { stdio: 'inherit', env: { ...process.env, FORCE_COLOR: '0' } });
  const secs = ((Date.now() - started) / 1000).toFixed(0);
  results.push(`${r.status === 0 ? 'ok  ' : 'FAIL'} ${name} (${secs} s)`);
  if (r.status !== 0) {
    console.log('\n' + results.join('\n'));
    console.error(`\nnpm test: "${name}" failed (exit ${r.status ?? r.signal}).`);
    process.exit(1);
  }
}
console.log('\n' + results.join('\n'));
console.log('\nnpm test: all stages passed');
