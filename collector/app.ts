import Fastify, { LogController, type FastifyInstance, type FastifyServerOptions } from 'fastify';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { createAlertService, type AlertService } from './alerts/alert-service';
import type { AlertStore } from './alerts/store/alert-store';
import { openAlertStore } from './alerts/store/open-alert-store';
import { recordAudit } from './audit/audit';
import { DEFAULT_LOG_N, hashPassword, verifyPassword } from './auth/password';
import { newSetupToken } from './auth/setup-token';
import { SignInGuard } from './auth/sign-in-guard';
import type { CollectorConfig } from './config';
import { registerConsole, registerSecurityHeaders } from './http/console-static';
import type { ApiContext } from './http/context';
import { checkCsrf } from './http/csrf';
import { registerErrorHandler } from './http/errors';
import { guardProject } from './http/membership';
import './http/request-context';
import { registerAgentPackageRoutes } from './http/routes/agent-package-routes';
import { registerAlertRoutes } from './http/routes/alert-routes';
import { registerAuditRoutes } from './http/routes/audit-routes';
import { registerAuthRoutes } from './http/routes/auth-routes';
import { registerLicenseRoutes } from './http/routes/license-routes';
import { registerMemberRoutes } from './http/routes/member-routes';
import { registerProjectRoutes } from './http/routes/project-routes';
import { registerRegionRoutes } from './http/routes/region-routes';
import { registerUserRoutes } from './http/routes/user-routes';
import { clearSessionCookie, resolveAuth } from './http/session';
import { registerTelemetryRoutes } from './http/telemetry-routes';
import { registerTraceRoutes } from './http/routes/trace-routes';
import type { MetaStore, UserStore } from './store/meta-store';
import type { TelemetryStore } from './store/telemetry-store';

export interface AppDeps {
  config: CollectorConfig;
  meta: MetaStore;
  telemetry: TelemetryStore;
  /** Default: opened next to the meta store (openAlertStore) and closed with the app. */
  alerts?: AlertStore;
}

declare module 'fastify' {
  interface FastifyInstance {
    /** The alert store and evaluator of this collector (tests drive evaluation with evaluateNow()). */
    alerts: { store: AlertStore; service: AlertService };
  }
}

export interface AppOptions {
  /** Clock (tests move it to expire sessions). */
  now?: () => number;
  /** Fastify logger options; false for none. Default: info, cookies redacted. */
  logger?: FastifyServerOptions['logger'];
  /** The built console; default `<repo>/dist`. */
  consoleDir?: string;
  /** The agent's source served as an sdist at /agent/; default `<repo>/agent`. */
  agentDir?: string;
  /** scrypt cost as log2 N; default 17. Tests that only need a user lower it. */
  passwordLogN?: number;
  /** Extra delay per recent failure on a failed sign-in; default 250 ms. */
  signInFailureDelayMs?: number;
  /** Delay between serialised sign-ins for a username that strangers failed on; default 1 s. */
  signInLaneDelayMs?: number;
  /** The one-time setup token POST /setup requires; default a new random one (server.ts prints it). */
  setupToken?: string;
  /** Certificate and key (PEM) to serve HTTPS with; server.ts reads them from http.tls. */
  https?: { cert: Buffer; key: Buffer };
  /** Run alert evaluation and notification on their timers once the app is ready; default true. */
  alertTimers?: boolean;
  /** Timeouts of the HTTP server, set by server.ts. */
  server?: Pick<FastifyServerOptions, 'requestTimeout' | 'keepAliveTimeout' | 'connectionTimeout'>;
}

export const BODY_LIMIT = 64 * 1024;
const DEFAULT_DIST = fileURLToPath(new URL('../dist', import.meta.url));

/**
 * Fastify's request lines carry method, URL, status and time: never a body (passwords, keys)
 * or headers. Cookie headers are redacted too, should anything log a whole request.
 */
const defaultLogger = {
  level: 'info',
  redact: ['req.headers.cookie', 'req.headers.authorization', 'res.headers["set-cookie"]'],
};

/**
 * Builds the collector's HTTP app: the console API under /api/v1 (CSRF check, session,
 * membership guard on every `:pcode` route), the telemetry routes, and the static console.
 * Listening is server.ts's job.
 */
export async function buildApp(deps: AppDeps, options: AppOptions = {}): Promise<FastifyInstance> {
  const now = options.now ?? Date.now;
  const logN = options.passwordLogN ?? DEFAULT_LOG_N;
  // Fastify's overloads type an https server differently; the app is used the same way.
  const app = (Fastify as (opts: FastifyServerOptions & { https?: { cert: Buffer; key: Buffer } }) => FastifyInstance)({
    ...(options.https ? { https: options.https } : {}),
    logger: options.logger ?? defaultLogger,
    bodyLimit: BODY_LIMIT,
    // request.ip (limits, audit) is the client's address from X-Forwarded-For only behind these proxies.
    trustProxy: deps.config.http.trustProxy.length > 0 ? deps.config.http.trustProxy : false,
    // The console polls: a line per request at info drowns the start lines (http.logRequests turns them on).
    logController: new LogController({ disableRequestLogging: !deps.config.http.logRequests }),
    ...options.server,
  });
  if (!deps.config.http.logRequests)
    app.addHook('onResponse', async (request, reply) => {
      request.log.debug(
        { req: { method: request.method, url: request.url }, res: { statusCode: reply.statusCode }, responseTime: reply.elapsedTime },
        'request completed',
      );
    });

  let dummy: Promise<string> | undefined;
  const ctx: ApiContext = {
    ...deps,
    now,
    setupToken: options.setupToken ?? newSetupToken(),
    passwords: {
      hash: (password) => hashPassword(password, logN),
      verify: verifyPassword,
      dummyHash: () => (dummy ??= hashPassword(randomBytes(18).toString('base64'), logN)),
    },
    signIn: {
      guard: new SignInGuard({ laneDelayMs: options.signInLaneDelayMs }),
      failureDelayMs: options.signInFailureDelayMs ?? 250,
    },
    audit: (request, action, target, detail, actor) =>
      recordAudit(deps.meta, {
        actor: actor ?? (request.auth.kind === 'signed-in' ? request.auth.user.username : '-'),
        action,
        target,
        detail,
        ip: request.ip,
        time: now(),
      }),
  };

  registerAlerts(app, deps, now, options.alertTimers ?? true);

  // Reference types cannot be decorator defaults; the API hook sets both before any handler reads them.
  app.decorateRequest('auth', null, []);
  app.decorateRequest('tapscope', null, []);
  registerErrorHandler(app, BODY_LIMIT);
  registerSecurityHeaders(app);

  // The API scope: its hooks run for every API route, the telemetry routes included.
  await app.register(async (api) => {
    api.addHook('onRequest', async (request, reply) => {
      reply.header('cache-control', 'no-store');
      checkCsrf(request);
      request.auth = await resolveAuth(ctx, request);
      // Tell the browser to drop a dead cookie; a sign-in in this same request sets a new one.
      if (request.auth.kind === 'expired') clearSessionCookie(ctx, reply);
      // Before the body is parsed: a stranger learns nothing and costs nothing.
      await guardProject(ctx, request);
    });
    registerAuthRoutes(api, ctx);
    registerUserRoutes(api, ctx);
    registerAuditRoutes(api, ctx);
    registerRegionRoutes(api, ctx);
    registerProjectRoutes(api, ctx);
    registerMemberRoutes(api, ctx);
    registerLicenseRoutes(api, ctx);
    registerAlertRoutes(api, ctx, app.alerts);
    registerTraceRoutes(api, ctx);
    await registerTelemetryRoutes(api, { meta: deps.meta, telemetry: deps.telemetry });
  });

  registerAgentPackageRoutes(app, options.agentDir);
  await registerConsole(app, options.consoleDir ?? DEFAULT_DIST);
  startSessionSweeper(app, deps.meta, now);
  return app;
}

/**
 * The alert store (opened here unless given: server.ts hands the app the meta and telemetry
 * stores only) and the evaluator, started when the app is ready and stopped before it closes.
 */
function registerAlerts(app: FastifyInstance, deps: AppDeps, now: () => number, timers: boolean): void {
  const store =
    deps.alerts ??
    openAlertStore(deps.config, { error: (what, err) => app.log.error({ err: { message: err.message } }, `alerts: ${what}`) });
  const service = createAlertService({
    config: deps.config,
    store,
    meta: deps.meta,
    telemetry: deps.telemetry,
    log: { info: (msg) => app.log.info(msg), warn: (obj, msg) => app.log.warn(obj, msg) },
    now,
  });
  app.decorate('alerts', { store, service });
  if (timers) app.addHook('onReady', async () => service.start());
  app.addHook('onClose', async () => {
    await service.stop();
    if (!deps.alerts) await store.close();
  });
}

/** Expired sessions are refused on sight; this only keeps the table small. */
function startSessionSweeper(app: FastifyInstance, meta: UserStore, now: () => number): void {
  const sweep = () =>
    meta.deleteExpiredSessions(now()).catch((err: unknown) => app.log.warn({ err }, 'session sweep failed'));
  const timer = setInterval(sweep, 60 * 60_000);
  timer.unref();
  app.addHook('onReady', async () => {
    await sweep();
  });
  app.addHook('onClose', async () => clearInterval(timer));
}
