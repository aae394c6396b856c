import { Writable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { apiPaths } from '../../src/api/paths';
import { startTestCollector, type TestCollector } from '../testing/test-collector';

let c: TestCollector | undefined;
afterEach(async () => {
  await c?.close();
  c = undefined;
});

/** Starts a collector whose log lines (JSON) land in the returned array, at the given level. */
async function collectorLogging(level: string, logRequests?: boolean): Promise<Array<Record<string, unknown>>> {
  const lines: Array<Record<string, unknown>> = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const line of chunk.toString().split('\n').filter(Boolean)) lines.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  c = await startTestCollector({
    logger: { level, stream },
    configure: (config) => (logRequests === undefined ? config : { ...config, http: { ...config.http, logRequests } }),
  });
  return lines;
}

const requestLines = (lines: Array<Record<string, unknown>>) =>
  lines.filter((l) => l.msg === 'incoming request' || l.msg === 'request completed');

describe('request logs', () => {
  it('are not written at info by default', async () => {
    const lines = await collectorLogging('info');
    await fetch(c!.url + apiPaths.regions);
    await fetch(c!.url + apiPaths.regions);
    expect(requestLines(lines)).toEqual([]);
  });

  it('are written at debug by default, without cookies', async () => {
    const lines = await collectorLogging('debug');
    await fetch(c!.url + apiPaths.regions, { headers: { cookie: 'tapscope_session=secret-value' } });
    const done = requestLines(lines);
    expect(done).toHaveLength(1);
    expect(done[0]).toMatchObject({ level: 20, req: { method: 'GET', url: apiPaths.regions }, res: { statusCode: 401 } });
    expect(JSON.stringify(lines)).not.toContain('secret-value');
  });

  it('are written at info with http.logRequests', async () => {
    const lines = await collectorLogging('info', true);
    await fetch(c!.url + apiPaths.regions);
    expect(requestLines(lines).map((l) => l.level)).toEqual([30, 30]);
  });
});
