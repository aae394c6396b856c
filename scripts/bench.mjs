#!/usr/bin/env node
// `npm run bench [-- name ...]`: every benchmark in turn (or only those named: ingest,
// ingest-clickhouse, query, hitmap, agent, alerts); each prints its own figures, and the run ends
// with a table of every figure against its target (scripts/bench-summary.mjs).
import { spawnSync } from 'node:child_process';
import { BENCHES, parseFigures, summaryTable } from './bench-summary.mjs';

const asked = process.argv.slice(2);
const unknown = asked.filter((name) => !BENCHES.some((b) => b.name === name));
if (unknown.length > 0) {
  console.error(`unknown bench ${unknown.join(', ')}; choose from ${BENCHES.map((b) => b.name).join(', ')}`);
  process.exit(2);
}
const chosen = asked.length > 0 ? BENCHES.filter((b) => asked.includes(b.name)) : BENCHES;
const results = new Map();
let failures = 0;
for (const bench of chosen) {
  const args = ['run', '--silent', bench.script, ...(bench.args.length > 0 ? ['--', ...bench.args] : [])];
  console.log(`\n=== npm ${args.slice(0, 1).concat(args.slice(2)).join(' ')}`);
  const r = spawnSync('npm', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 64 << 20 });
  const output = r.stdout ?? '';
  process.stdout.write(output);
  const failed = r.status === 0 ? undefined : `exit ${r.status ?? r.signal}`;
  if (failed) failures++;
  results.set(bench.name, { figures: parseFigures(bench.name, output), failed });
}
console.log('\n' + summaryTable(results).join('\n'));
process.exit(failures > 0 ? 1 : 0);
