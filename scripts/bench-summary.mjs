// The benches `npm run bench` runs, the figures each prints (one line each, exact prefix) and
// their targets (issue 17); parseFigures reads them from a bench's output, summaryTable lays
// them out against their targets, a figure a bench did not print showing as "missing".

/** Every bench, by the name `npm run bench -- <name>` takes. */
export const BENCHES = [
  { name: 'ingest', script: 'bench:ingest', args: [] },
  { name: 'ingest-clickhouse', script: 'bench:ingest', args: ['--store', 'clickhouse'] },
  { name: 'query', script: 'bench:query', args: [] },
  { name: 'hitmap', script: 'bench:hitmap', args: [] },
  { name: 'agent', script: 'bench:agent', args: [] },
  { name: 'alerts', script: 'bench:alerts', args: [] },
];

const NUMBER = '(-?[\\d,]+(?:\\.\\d+)?)';

/**
 * One figure: the bench that prints it, its line's exact prefix, the pattern of the rest of the
 * line (its first group is the value), the unit, and the target (`max`: at most, `min`: at least).
 */
export const FIGURES = [
  { bench: 'agent', label: 'agent drops', prefix: 'agent drops:', rest: NUMBER, unit: '', max: 0 },
  { bench: 'agent', label: 'agent overhead', prefix: 'agent overhead:', rest: `${NUMBER} us/request`, unit: 'µs/request', max: 10 },
  { bench: 'query', label: 'counters 1d size', prefix: 'counters 1d:', rest: `${NUMBER} KB`, unit: 'KB', max: 200 },
  { bench: 'query', label: 'counters 1d p99', prefix: 'counters 1d:', rest: `.*p99 ${NUMBER} ms`, unit: 'ms', max: 50 },
  { bench: 'query', label: 'agents p50', prefix: 'agents p50:', rest: `${NUMBER} ms`, unit: 'ms', max: 5 },
  { bench: 'query', label: 'stats 31d one agent p99', prefix: 'stats 31d one agent p99:', rest: `${NUMBER} ms`, unit: 'ms', max: 100 },
  { bench: 'hitmap', label: 'hitmap store 1M (SQLite)', prefix: 'hitmap store 1M:', rest: `${NUMBER} ms`, unit: 'ms', max: 1000 },
  { bench: 'hitmap', label: 'hitmap store 1M (ClickHouse)', prefix: 'hitmap store 1M clickhouse:', rest: `${NUMBER} ms`, unit: 'ms', max: 1000 },
  { bench: 'hitmap', label: 'hitmap 5M', prefix: 'hitmap 5M:', rest: `${NUMBER} ms`, unit: 'ms', max: 1500 },
  { bench: 'hitmap', label: 'select 5M', prefix: 'select 5M:', rest: `${NUMBER} ms`, unit: 'ms', max: 50 },
  { bench: 'ingest', label: 'ack p99 (SQLite)', prefix: 'ack p99:', rest: `${NUMBER} ms`, unit: 'ms', max: 100 },
  { bench: 'ingest', label: 'ingest (SQLite)', prefix: 'ingest:', rest: `${NUMBER} tx/s`, unit: 'tx/s', min: 50_000 },
  { bench: 'ingest-clickhouse', label: 'ack p99 (ClickHouse)', prefix: 'ack p99:', rest: `${NUMBER} ms`, unit: 'ms', max: 1500 },
  { bench: 'ingest-clickhouse', label: 'ingest (ClickHouse)', prefix: 'ingest:', rest: `${NUMBER} tx/s`, unit: 'tx/s', min: 40_000 },
  { bench: 'alerts', label: 'alerts', prefix: 'alerts:', rest: `${NUMBER} ms`, unit: 'ms per cycle', max: 500 },
];

/** The figures of `bench` found in its output: label -> number (the last line wins). */
export function parseFigures(bench, output) {
  const found = new Map();
  const lines = output.split('\n').map((l) => l.trim());
  for (const f of FIGURES.filter((x) => x.bench === bench)) {
    const re = new RegExp(`^${f.rest}`);
    for (const line of lines) {
      if (!line.startsWith(f.prefix)) continue;
      const m = re.exec(line.slice(f.prefix.length).trim());
      if (m) found.set(f.label, Number(m[1].replaceAll(',', '')));
    }
  }
  return found;
}

function target(f) {
  return f.max !== undefined ? `≤ ${f.max.toLocaleString('en-US')}` : `≥ ${f.min.toLocaleString('en-US')}`;
}

/**
 * Rows [figure, value, target, verdict] for the benches that ran (`results`: bench name ->
 * { figures: Map, failed?: string }), as text lines of a fixed-width table.
 */
export function summaryTable(results) {
  const rows = [['figure', 'value', 'target', '']];
  for (const f of FIGURES) {
    const result = results.get(f.bench);
    if (!result) continue;
    const value = result.figures.get(f.label);
    let shown = 'missing';
    let verdict = result.failed ? `bench failed (${result.failed})` : 'missing';
    if (value !== undefined) {
      shown = `${value.toLocaleString('en-US')} ${f.unit}`.trim();
      const met = f.max !== undefined ? value <= f.max : value >= f.min;
      verdict = met ? 'met' : 'MISSED';
    }
    rows.push([f.label, shown, `${target(f)} ${f.unit}`.trim(), verdict]);
  }
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  return rows.map((r) => r.map((cell, i) => cell.padEnd(widths[i])).join('  ').trimEnd());
}
