import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

export interface CollectorProcess {
  child: ChildProcess;
  httpUrl: string;
  ingestPort: number;
  output(): string;
  /** SIGKILL: the process dies at once, as in a crash or a lost machine. */
  kill(): Promise<void>;
  /** SIGTERM and wait for the graceful stop. */
  stop(): Promise<void>;
}

/**
 * Runs `collector/cli.ts` as its own process (node with the tsx loader, no wrapper process,
 * so a signal reaches the collector itself) on free ports with the given environment, and
 * resolves once it printed where it listens.
 */
export async function startCollectorProcess(env: NodeJS.ProcessEnv): Promise<CollectorProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'collector/cli.ts', '--http-port', '0', '--ingest-port', '0'], {
    cwd: ROOT,
    env: { ...process.env, TAPSCOPE_CONFIG: '', TAPSCOPE_HTTP_HOST: '127.0.0.1', TAPSCOPE_INGEST_HOST: '127.0.0.1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const onExit = () => child.kill('SIGKILL');
  process.once('exit', onExit);
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString('utf8')));
  child.stderr.on('data', (d: Buffer) => (out += d.toString('utf8')));
  const exited = new Promise<void>((resolve) => child.once('exit', () => (process.off('exit', onExit), resolve())));
  const deadline = Date.now() + 30_000;
  let http: RegExpExecArray | null = null;
  let ingest: RegExpExecArray | null = null;
  while (!(http && ingest)) {
    http = /tapscope: http listening on (http:\/\/[\d.]+:\d+)/.exec(out);
    ingest = /tapscope: ingest listening on [\d.]+:(\d+)/.exec(out);
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`collector did not start:\n${out}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    child,
    httpUrl: http[1]!,
    ingestPort: Number(ingest[1]),
    output: () => out,
    async kill() {
      child.kill('SIGKILL');
      await exited;
    },
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}
