#!/usr/bin/env node
// `npm run bench`: every benchmark in turn; each prints its own figures and a last summary line.
import { spawnSync } from 'node:child_process';

const benches = ['bench:ingest', 'bench:query', 'bench:hitmap', 'bench:agent', 'bench:alerts'];
const summary = [];
for (const name of benches) {
  console.log(`\n=== npm run ${name}`);
  const r = spawnSync('npm', ['run', '--silent', name], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  process.stdout.write(r.stdout ?? '');
  const last = (r.stdout ?? '').trim().split('\n').pop() ?? '';
  summary.push(r.status === 0 ? last : `${name}: failed (exit ${r.status})`);
}
console.log('\n' + summary.join('\n'));
