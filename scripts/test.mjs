#!/usr/bin/env node
// `npm test`: every check, in order, stopping at the first failure. Installs the Debian packages
// the suites need when they are missing (scripts/install-system-deps.sh, as root). Ends with one
// line adding up what the test runners reported: `tests: N passed, N failed, N skipped`.
import { spawn } from 'node:child_process';

const stages = [
  ['system packages', 'bash', ['scripts/install-system-deps.sh']],
  ['typecheck', 'npx', ['tsc', '-p', 'tsconfig.json', '--noEmit']],
  ['lint', 'npx', ['eslint', '.', '--max-warnings=0']],
  ['unit and collector tests (vitest)', 'npx', ['vitest', 'run'], true],
  ['build console', 'npx', ['vite', 'build', '--logLevel', 'warn']],
  ['agent tests (pytest)', 'bash', ['scripts/test-agent.sh'], true],
  ['end-to-end tests (playwright, chromium)', 'npx', ['playwright', 'test'], true],
];

// eslint-disable-next-line no-control-regex
const ANSI = /\u001b\[[0-9;]*m/g;

/** Runs a command with its output shown live; resolves with its exit code and output. */
function run(cmd, args) {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, FORCE_COLOR: '0', NO_COLOR: '1' } });
    let out = '';
    child.stdout.on('data', (d) => (process.stdout.write(d), (out += d)));
    child.stderr.on('data', (d) => (process.stderr.write(d), (out += d)));
    child.on('close', (code, signal) => resolve({ code: code ?? (signal ? 1 : 0), out }));
  });
}

/** The counts in a runner's last summary line (vitest "Tests …", pytest, playwright). */
function counts(out) {
  const lines = out.replace(ANSI, '').split('\n').filter((l) => /\b\d+ (passed|failed)\b/.test(l) && !/Test Files/.test(l));
  const last = lines.at(-1) ?? '';
  const n = (word) => Number(new RegExp(`\\b(\\d+) ${word}\\b`).exec(last)?.[1] ?? 0);
  return { passed: n('passed'), failed: n('failed'), skipped: n('skipped') };
}

const only = process.argv.slice(2);
const results = [];
const total = { passed: 0, failed: 0, skipped: 0 };
let failedStage;
for (const [name, cmd, args, isTestRunner] of stages) {
  if (only.length && !only.some((o) => name.includes(o))) continue;
  console.log(`\n=== ${name}: ${cmd} ${args.join(' ')}`);
  const started = Date.now();
  const { code, out } = await run(cmd, args);
  const secs = ((Date.now() - started) / 1000).toFixed(0);
  let detail = '';
  if (isTestRunner) {
    const c = counts(out);
    for (const k of Object.keys(total)) total[k] += c[k];
    detail = `: ${c.passed} passed, ${c.failed} failed, ${c.skipped} skipped`;
  }
  results.push(`${code === 0 ? 'ok  ' : 'FAIL'} ${name} (${secs} s)${detail}`);
  if (code !== 0) {
    failedStage = `${name} (exit ${code})`;
    if (total.failed === 0) total.failed = 1; // a stage that failed without counting a test still failed
    break;
  }
}
console.log('\n' + results.join('\n'));
console.log(failedStage ? `\nnpm test: "${failedStage}" failed.` : '\nnpm test: all stages passed');
console.log(`tests: ${total.passed} passed, ${total.failed} failed, ${total.skipped} skipped`);
process.exit(failedStage ? 1 : 0);
