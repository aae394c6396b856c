import { closeOnSignals, startCollector, type RunningCollector } from './server';
import { ConfigError, loadConfig } from './config';
import { parseCliArgs, USAGE } from './config/argv';

/** `npx tsx collector/cli.ts [--http-port N] [--ingest-port N] [--data-dir DIR] [--config FILE] [--demo]` */
async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  let running: RunningCollector;
  try {
    const args = parseCliArgs(argv);
    if (args.help) {
      console.log(USAGE);
      return;
    }
    const config = loadConfig(process.env, argv);
    running = await startCollector(config);
    let stopDemo: (() => Promise<void>) | undefined;
    // The demo's agents stop first so the collector does not log their connections dropping.
    closeOnSignals(async () => {
      await stopDemo?.().catch(() => {});
      await running.close();
    });
    if (args.demo) stopDemo = await startDemoMode(running);
  } catch (err) {
    fail(err);
  }
}

/** Runs the ingest engineer's demo (`collector/demo/start-demo.ts`); returns its stop function, if any. */
async function startDemoMode(running: RunningCollector): Promise<(() => Promise<void>) | undefined> {
  let startDemo: (opts: Record<string, unknown>) => unknown;
  try {
    // A computed specifier: this build may ship without the demo, and that is not a type error.
    const specifier = './demo/start-demo.js';
    ({ startDemo } = (await import(specifier)) as { startDemo: typeof startDemo });
  } catch (err) {
    console.error(`tapscope: --demo is not available in this build (${(err as Error).message}); the collector keeps running without it`);
    return undefined;
  }
  try {
    const demo = (await startDemo({
      httpPort: running.httpPort,
      httpUrl: running.httpUrl,
      setupToken: running.setupToken,
      ingestPort: running.ingestPort,
      dataDir: running.config.dataDir,
      config: running.config,
      meta: running.stores.meta,
      telemetry: running.stores.telemetry,
      log: running.app.log,
    })) as { stop?: () => Promise<void> | void; close?: () => Promise<void> | void } | undefined;
    const stop = demo?.stop ?? demo?.close;
    return stop ? async () => void (await stop.call(demo)) : undefined;
  } catch (err) {
    console.error(`tapscope: the demo failed to start: ${(err as Error).message}; the collector keeps running without it`);
    return undefined;
  }
}

function fail(err: unknown): never {
  if (err instanceof ConfigError) {
    console.error(`tapscope: configuration error: ${err.message}`);
  } else {
    const e = err as NodeJS.ErrnoException & { port?: number };
    if (e?.code === 'EADDRINUSE')
      console.error(
        `tapscope: cannot listen: ${e.message.replace(/^listen /, '')} (port in use). ` +
          'Stop the other process or choose another port with --http-port / --ingest-port.',
      );
    else if (e?.code === 'EACCES')
      console.error(`tapscope: cannot listen: ${e.message} (ports below 1024 need privileges; choose another port)`);
    else console.error(`tapscope: failed to start: ${e?.message ?? String(err)}`);
  }
  process.exit(1);
}

void main();
