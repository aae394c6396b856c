import type { FastifyInstance } from 'fastify';
import { readFileSync } from 'node:fs';
import { buildApp, type AppOptions } from './app';
import { newSetupToken } from './auth/setup-token';
import { ConfigError, type CollectorConfig } from './config';
import { startIngestServer, type IngestServer } from './ingest/server';
import { openStores, type Stores } from './stores';

/** Reads the TLS files named in the config (`ingest.tls` or `http.tls`); a missing file is a clear start-up error. */
function readTlsFiles(tls: { certFile: string; keyFile: string }, setting = 'ingest.tls'): { cert: Buffer; key: Buffer } {
  const read = (file: string, what: string) => {
    try {
      return readFileSync(file);
    } catch (err) {
      throw new ConfigError(`${setting}.${what}: cannot read "${file}": ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
    }
  };
  return { cert: read(tls.certFile, 'certFile'), key: read(tls.keyFile, 'keyFile') };
}

export interface StartOptions {
  /** Already opened stores (tests); default: openStores(config). Closed with the collector either way. */
  stores?: Stores;
  app?: Omit<AppOptions, 'server'>;
  /** Where the start-up lines go; default stdout. */
  print?: (line: string) => void;
}

export interface RunningCollector {
  config: CollectorConfig;
  app: FastifyInstance;
  stores: Stores;
  ingest: IngestServer;
  httpPort: number;
  httpUrl: string;
  ingestPort: number;
  /** The one-time token that creating the first administrator needs (printed while no user exists). */
  setupToken: string;
  /** Stops ingest, then HTTP (in-flight requests finish), then closes the stores. Idempotent. */
  close(): Promise<void>;
}

/** Slow clients cannot hold a connection forever; idle keep-alive sockets go after 5 s. */
const SERVER_TIMEOUTS = { requestTimeout: 30_000, keepAliveTimeout: 5_000, connectionTimeout: 60_000 };

/** A wildcard listen address is reachable locally as 127.0.0.1; print that. */
const printable = (host: string) =>
  host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host;

/** Opens the stores, starts HTTP then ingest, and prints where they listen. */
export async function startCollector(
  loaded: CollectorConfig,
  options: StartOptions = {},
): Promise<RunningCollector> {
  const print = options.print ?? ((line: string) => process.stdout.write(line + '\n'));
  // A copy whose region addresses can learn the ingest port once bound (see below).
  const config: CollectorConfig = { ...loaded, regions: loaded.regions.map((r) => ({ ...r, ingest: [...r.ingest] })) };
  const stores = options.stores ?? openStores(config);
  let app: FastifyInstance | undefined;
  const setupToken = options.app?.setupToken ?? newSetupToken();
  try {
    const https = config.http.tls && readTlsFiles(config.http.tls, 'http.tls');
    app = await buildApp(
      { config, meta: stores.meta, telemetry: stores.telemetry },
      { ...options.app, setupToken, https, server: SERVER_TIMEOUTS },
    );
    await app.listen({ host: config.http.host, port: config.http.port });
    const address = app.server.address();
    const httpPort = typeof address === 'object' && address ? address.port : config.http.port;
    const httpUrl = `${https ? 'https' : 'http'}://${printable(config.http.host)}:${httpPort}`;
    print(`tapscope: http listening on ${httpUrl}`);
    // Only the operator sees the process's output: the token proves the setup is theirs.
    // Printed before the ingest line, which is what scripts wait for.
    if ((await stores.meta.countUsers()) === 0)
      print(`tapscope: setup token: ${setupToken} (enter it on the setup page to create the first administrator)`);

    const { tls, ...ingestConfig } = config.ingest;
    const ingest = await startIngestServer({
      meta: stores.meta,
      telemetry: stores.telemetry,
      config: { ...config, ingest: { ...ingestConfig, tls: tls && readTlsFiles(tls) } },
      log: app.log,
    });
    print(`tapscope: ingest listening on ${printable(config.ingest.host)}:${ingest.port}`);
    if (!tls)
      app.log.warn(
        'ingest TLS is off: agents send license keys and data in clear; set ingest.tls (certFile, keyFile) in the config file and whatap.server.tls=true in whatap.conf',
      );
    // With --ingest-port 0 the default region said "host:0"; agents need the port actually bound.
    for (const region of config.regions)
      region.ingest = region.ingest.map((a) => (a.endsWith(':0') ? `${a.slice(0, -2)}:${ingest.port}` : a));
    print(
      `tapscope: ready: open ${httpUrl} in a browser; agents send to port ${ingest.port} ` +
        `(regions: ${config.regions.map((r) => `${r.id} → ${r.ingest.join(', ')}`).join('; ')}); data in ${config.dataDir}`,
    );

    const running = app;
    let closing: Promise<void> | undefined;
    return {
      config,
      app: running,
      stores,
      ingest,
      httpPort,
      httpUrl,
      ingestPort: ingest.port,
      setupToken,
      close: () =>
        (closing ??= (async () => {
          try {
            await ingest.close();
            await running.close();
          } finally {
            await stores.close();
          }
        })()),
    };
  } catch (err) {
    await app?.close().catch(() => {});
    await stores.close().catch(() => {});
    throw err;
  }
}

/** Graceful stop on SIGINT / SIGTERM; a second signal, or a stop taking over 10 s, exits at once. */
export function closeOnSignals(close: () => Promise<void>, print: (line: string) => void = console.error): void {
  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) {
      print(`tapscope: ${signal} again, exiting now`);
      process.exit(1);
    }
    stopping = true;
    print(`tapscope: ${signal} received, shutting down`);
    const force = setTimeout(() => {
      print('tapscope: shutdown took over 10 s, exiting');
      process.exit(1);
    }, 10_000);
    force.unref();
    close().then(
      () => process.exit(0),
      (err: unknown) => {
        print(`tapscope: error while shutting down: ${(err as Error).message}`);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}
