import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { makeDataDir } from './testing/test-collector';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const TSX = `${ROOT}node_modules/.bin/tsx`;
const cleanups: Array<() => void> = [];
afterEach(() => cleanups.splice(0).forEach((f) => f()));

function runCli(args: string[], env: NodeJS.ProcessEnv = {}) {
  const child = spawn(TSX, ['collector/cli.ts', ...args], {
    cwd: ROOT,
    env: { ...process.env, TAPSCOPE_CONFIG: '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  cleanups.push(() => child.exitCode === null && child.kill('SIGKILL'));
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d));
  child.stderr.on('data', (d: Buffer) => (stderr += d));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const waitFor = async (re: RegExp, ms = 20_000) => {
    const until = Date.now() + ms;
    while (Date.now() < until) {
      const m = re.exec(stdout);
      if (m) return m;
      if (child.exitCode !== null) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`no ${re} in output:\n${stdout}\n${stderr}`);
  };
  return { child, exited, waitFor, output: () => ({ stdout, stderr }) };
}

describe('collector/cli.ts', () => {
  it('starts on free ports, prints them, serves the API, and stops on SIGTERM', async () => {
    const { dataDir, remove } = makeDataDir();
    cleanups.push(remove);
    const cli = runCli(['--http-port', '0', '--ingest-port', '0', '--data-dir', dataDir]);
    const http = await cli.waitFor(/^tapscope: http listening on (http:\/\/127\.0\.0\.1:(\d+))$/m);
    const ingest = await cli.waitFor(/^tapscope: ingest listening on 127\.0\.0\.1:(\d+)$/m);
    expect(Number(ingest[1])).toBeGreaterThan(0);
    const res = await fetch(`${http[1]}/api/v1/setup`);
    expect(await res.json()).toEqual({ needsSetup: true });

    cli.child.kill('SIGTERM');
    expect(await cli.exited).toBe(0);
    expect(cli.output().stderr).toContain('SIGTERM received, shutting down');
  });

  it('explains a configuration error in plain words and exits 1 without a stack trace', async () => {
    const cli = runCli(['--http-port', 'eighty']);
    expect(await cli.exited).toBe(1);
    const { stderr } = cli.output();
    expect(stderr.trim()).toBe('tapscope: configuration error: --http-port="eighty" must be a port number (0–65535)');
    expect(stderr).not.toMatch(/\n\s+at /);
  });

  it('explains a missing config file', async () => {
    const cli = runCli([], { TAPSCOPE_CONFIG: '/nonexistent/tapscope.json' });
    expect(await cli.exited).toBe(1);
    expect(cli.output().stderr.trim()).toBe(
      'tapscope: configuration error: config file /nonexistent/tapscope.json (from TAPSCOPE_CONFIG) does not exist',
    );
  });
});
