import { describe, expect, it } from 'vitest';
import { parseFigures, summaryTable } from './bench-summary.mjs';

const AGENT_OUTPUT = `Flask (WSGI), paced at 2,000 requests/s: 10000 plain + 10000 traced requests
  CPU per request, all threads: plain 84.1 us, traced 95.3 us (+11.2 us)
agent overhead asgi: 21.0 us/request
agent drops: 0
agent overhead: 11.2 us/request
`;

describe('bench summary', () => {
  it('reads the exact lines of a bench and leaves look-alike lines alone', () => {
    const figures = parseFigures('agent', AGENT_OUTPUT);
    expect(Object.fromEntries(figures)).toEqual({ 'agent drops': 0, 'agent overhead': 11.2 });
  });

  it('reads two figures from one line, numbers with thousands separators, and the last of repeated lines', () => {
    const query = parseFigures('query', 'counters 1d: 180 KB, p99 42.5 ms\nagents p50: 7 ms\nagents p50: 3.2 ms\n');
    expect(Object.fromEntries(query)).toEqual({ 'counters 1d size': 180, 'counters 1d p99': 42.5, 'agents p50': 3.2 });
    const ingest = parseFigures('ingest', 'ingest bench: 8 agents\nack p99: 88.1 ms\ningest: 51,234 tx/s\n');
    expect(Object.fromEntries(ingest)).toEqual({ 'ack p99 (SQLite)': 88.1, 'ingest (SQLite)': 51234 });
    const hitmap = parseFigures('hitmap', 'hitmap store 1M: 812 ms\nhitmap store 1M clickhouse: 1,204 ms\n');
    expect(Object.fromEntries(hitmap)).toEqual({ 'hitmap store 1M (SQLite)': 812, 'hitmap store 1M (ClickHouse)': 1204 });
  });

  it('shows every figure of the benches that ran against its target, missing ones as missing', () => {
    const results = new Map([
      ['agent', { figures: parseFigures('agent', AGENT_OUTPUT) }],
      ['alerts', { figures: new Map(), failed: 'exit 1' }],
      ['ingest', { figures: parseFigures('ingest', 'ack p99: 120 ms\ningest: 60,000 tx/s\n') }],
    ]);
    const table = summaryTable(results).map((line) => line.split(/ {2,}/));
    expect(table).toEqual([
      ['figure', 'value', 'target'],
      ['agent drops', '0', '≤ 0', 'met'],
      ['agent overhead', '11.2 µs/request', '≤ 10 µs/request', 'MISSED'],
      ['ack p99 (SQLite)', '120 ms', '≤ 100 ms', 'MISSED'],
      ['ingest (SQLite)', '60,000 tx/s', '≥ 50,000 tx/s', 'met'],
      ['alerts', 'missing', '≤ 500 ms per cycle', 'bench failed (exit 1)'],
    ]);
  });

  it('says missing for a figure a bench that succeeded did not print', () => {
    const results = new Map([['query', { figures: parseFigures('query', 'agents p50: 3 ms\n') }]]);
    expect(summaryTable(results).filter((line) => line.includes('missing')).map((line) => line.split(/ {2,}/)[0]))
      .toEqual(['counters 1d size', 'counters 1d p99', 'stats 31d one agent p99']);
  });
});
