import { z } from 'zod';
import { WIRE_LIMITS } from '../../src/api/wire';
import { parseClickHouseUrl } from '../store/clickhouse/ch-client';

/**
 * The collector's settings. Every object is `.strict()` so a typo in the config file is an
 * error naming the key instead of a silently ignored setting; every field has its default
 * here (the ingest limits' in INGEST_DEFAULTS), so this file is the single list of defaults.
 */
const portSchema = z
  .number({ invalid_type_error: 'must be a port number (0–65535)' })
  .int('must be a whole port number (0–65535)')
  .min(0, 'must be a port number (0–65535)')
  .max(65535, 'must be a port number (0–65535)');

const hostSchema = z
  .string({ invalid_type_error: 'must be a host name or IP address' })
  .trim()
  .min(1, 'must be a host name or IP address')
  .max(253);

const positiveInt = (what: string) =>
  z
    .number({ invalid_type_error: `must be a number (${what})` })
    .int(`must be a whole number (${what})`)
    .positive(`must be greater than 0 (${what})`);

/** `host:port`, `[v6]:port`; what agents are told to connect to. */
const hostPortSchema = z
  .string({ invalid_type_error: 'must be a "host:port" string' })
  .regex(/^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+):\d{1,5}$/, 'must look like "host:port", e.g. "ingest.example.com:6600"')
  .refine((s) => Number(s.slice(s.lastIndexOf(':') + 1)) <= 65535, 'has a port above 65535');

export const regionConfigSchema = z
  .object({
    id: z
      .string({ required_error: 'is required', invalid_type_error: 'must be a string' })
      .regex(/^[a-z0-9][a-z0-9-]{0,39}$/, 'must be 1–40 lowercase letters, digits or "-", e.g. "ap-northeast"'),
    name: z.string({ required_error: 'is required', invalid_type_error: 'must be a string' }).trim().min(1).max(80),
    ingest: z
      .array(hostPortSchema, { required_error: 'is required', invalid_type_error: 'must be a list of "host:port"' })
      .min(1, 'needs at least one "host:port"'),
  })
  .strict();

/**
 * Where the meta store lives: "sqlite" (the embedded database in dataDir) or a PostgreSQL URL
 * for scale-out. Messages never repeat the URL: it may hold a password.
 */
const metaUrlSchema = z.string({ invalid_type_error: 'must be "sqlite" or a postgres:// URL' }).superRefine((v, ctx) => {
  if (v === 'sqlite') return;
  const problem = checkUrl(v, ['postgres', 'postgresql'], 'postgres://user:password@host:5432/tapscope');
  if (problem) ctx.addIssue({ code: 'custom', message: problem });
});

/** Where the telemetry store lives: "sqlite" or a ClickHouse URL (clickhouse://, http://, https://). */
const telemetryUrlSchema = z.string({ invalid_type_error: 'must be "sqlite" or a clickhouse:// URL' }).superRefine((v, ctx) => {
  if (v === 'sqlite') return;
  if (/^postgres(ql)?:/i.test(v)) {
    ctx.addIssue({ code: 'custom', message: 'cannot be PostgreSQL: telemetry goes to "sqlite" or ClickHouse (clickhouse://user:password@host:8123/tapscope)' });
    return;
  }
  try {
    parseClickHouseUrl(v);
  } catch (err) {
    ctx.addIssue({ code: 'custom', message: `${(err as Error).message} (expected "sqlite" or clickhouse://user:password@host:8123/tapscope)` });
  }
});

function checkUrl(v: string, schemes: string[], example: string): string | null {
  let u: URL;
  try {
    u = new URL(v);
  } catch {
    return `is neither "sqlite" nor a URL like ${example}`;
  }
  if (!schemes.includes(u.protocol.replace(/:$/, ''))) return `must be "sqlite" or a URL like ${example}`;
  if (!u.hostname) return `has no host; expected a URL like ${example}`;
  return null;
}

const DAY = 86_400_000;

/**
 * The ingest server's defaults (docs/protocol.md), written once: the config file's schema
 * below and the ingest server (collector/ingest/config.ts, for callers that pass no config
 * file, like tests and benches) both take them from here.
 */
export const INGEST_DEFAULTS = {
  maxFrameBytes: 8 * 1024 * 1024,
  idleTimeoutMs: 60_000,
  helloTimeoutMs: 10_000,
  heartbeatMs: 10_000,
  maxBatch: WIRE_LIMITS.maxBatch,
  maxConnectionBytes: 16 * 1024 * 1024,
  maxTotalBytes: 256 * 1024 * 1024,
  maxBacklogRows: 50_000,
  maxConnections: 4096,
  maxConnectionsPerLicense: 64,
  maxAgentsPerProject: 1000,
  agentExpiryDays: 7,
  maxFramesPerSecond: 2000,
  frameBurst: 4000,
  maxFutureMs: DAY,
  licenseCheckMs: 2000,
  maxRefusalLogPerMinute: 60,
} as const;

/** Raw transactions and samples are kept this many days, roll-ups `rollupDays`. */
export const RETENTION_DEFAULTS = { rawDays: 7, rollupDays: 90 } as const;

/** The default past bound of accepted times: the raw retention plus a day of clock skew. */
export const defaultMaxPastMs = (rawDays: number): number => (rawDays + 1) * DAY;

/** A PEM certificate and key, for the console's HTTPS and for ingest TLS alike. */
const filePath = z.string({ required_error: 'is required', invalid_type_error: 'must be a file path' }).min(1);
const tlsFilesSchema = z.object({ certFile: filePath, keyFile: filePath }).strict();

/** SMTP relay for email alert channels (a channel may override it); the password is never logged. */
const smtpConfigSchema = z
  .object({
    host: hostSchema,
    port: portSchema.default(587),
    /** `starttls`: plain then upgraded (587); `tls`: TLS from the first byte (465); `none`: no TLS (a local relay). */
    security: z.enum(['starttls', 'tls', 'none'], { errorMap: () => ({ message: 'must be "starttls", "tls" or "none"' }) }).default('starttls'),
    username: z.string({ invalid_type_error: 'must be a string' }).default(''),
    password: z.string({ invalid_type_error: 'must be a string' }).optional(),
    from: z.string({ required_error: 'is required (the sender address, e.g. "tapscope@example.com")' }).email('must be an email address'),
    /** false accepts any certificate (a relay with a self-signed one); true by default. */
    verifyCertificate: z.boolean({ invalid_type_error: 'must be true or false' }).default(true),
  })
  .strict();

/** Alert evaluation and notification (docs/alerts.md). */
const alertsConfigSchema = z
  .object({
    /** How often rules are evaluated. */
    evaluateEveryMs: positiveInt('milliseconds').min(500, 'must be at least 500').max(600_000, 'must be at most 600000').default(10_000),
    /**
     * With several collectors one holds the evaluation lease at a time; it renews it every cycle.
     * If it dies, another takes over once the lease expires (at most this plus one cycle).
     */
    leaseMs: positiveInt('milliseconds').min(1000, 'must be at least 1000').default(15_000),
    /** First retry of a failed notification after this long, each next one 4 times later. */
    retryBaseMs: positiveInt('milliseconds').default(5_000),
    maxAttempts: positiveInt('attempts').max(20, 'must be at most 20').default(5),
    /** A webhook, Slack or SMTP exchange taking longer fails with "timed out". */
    sendTimeoutMs: positiveInt('milliseconds').max(120_000, 'must be at most 120000').default(10_000),
    /** The console's address in notifications' links; default http://<publicHost>:<http.port>. */
    consoleUrl: z.string({ invalid_type_error: 'must be a URL' }).url('must be a URL like "https://apm.example.com"').optional(),
    smtp: smtpConfigSchema.optional(),
  })
  .strict();

export const configSchema = z
  .object({
    http: z
      .object({
        host: hostSchema.default('0.0.0.0'),
        port: portSchema.default(8080),
        /**
         * Addresses (or CIDR ranges) of reverse proxies whose X-Forwarded-For / -Proto are
         * believed; empty: the socket's address is the client's.
         */
        trustProxy: z
          .array(hostSchema, { invalid_type_error: 'must be a list of proxy addresses, e.g. ["127.0.0.1"]' })
          .default([]),
        /** PEM files: when set, the console and API are served over HTTPS (and cookies are Secure). */
        tls: tlsFilesSchema.optional(),
        /** One log line per HTTP request at info; off: those lines are at debug (not shown by default). */
        logRequests: z.boolean({ invalid_type_error: 'must be true or false' }).default(false),
      })
      .strict()
      .default({}),
    ingest: z
      .object({
        host: hostSchema.default('0.0.0.0'),
        port: portSchema.default(6600),
        maxFrameBytes: positiveInt('bytes')
          .max(64 * 1024 * 1024, 'must be at most 64 MiB')
          .default(INGEST_DEFAULTS.maxFrameBytes),
        idleTimeoutMs: positiveInt('milliseconds').default(INGEST_DEFAULTS.idleTimeoutMs),
        /** Optional limits; the ingest server's defaults (INGEST_DEFAULTS, docs/protocol.md) apply when absent. */
        heartbeatMs: positiveInt('milliseconds').optional(),
        maxBatch: positiveInt('transactions per batch').max(WIRE_LIMITS.maxBatch, `must be at most ${WIRE_LIMITS.maxBatch}`).optional(),
        maxConnections: positiveInt('connections').optional(),
        maxConnectionBytes: positiveInt('bytes').optional(),
        maxTotalBytes: positiveInt('bytes').optional(),
        maxBacklogRows: positiveInt('rows').optional(),
        maxConnectionsPerLicense: positiveInt('connections').optional(),
        maxAgentsPerProject: positiveInt('agents').optional(),
        agentExpiryDays: positiveInt('days').optional(),
        maxFramesPerSecond: positiveInt('frames per second').optional(),
        frameBurst: positiveInt('frames').optional(),
        /** Accepted transaction / counter times around the collector's clock (default: raw retention + 1 day / 1 day). */
        maxPastMs: positiveInt('milliseconds').optional(),
        maxFutureMs: positiveInt('milliseconds').optional(),
        licenseCheckMs: positiveInt('milliseconds').max(60_000, 'must be at most 60000 (revocation must reach live agents quickly)').optional(),
        maxRefusalLogPerMinute: positiveInt('log lines per minute').optional(),
        /** PEM files: when set, agents connect with TLS (`whatap.server.tls=true`). */
        tls: tlsFilesSchema.optional(),
      })
      .strict()
      .default({}),
    storage: z
      .object({ meta: metaUrlSchema.default('sqlite'), telemetry: telemetryUrlSchema.default('sqlite') })
      .strict()
      .default({}),
    dataDir: z.string({ invalid_type_error: 'must be a directory path' }).min(1).default('./data'),
    /** The host agents use to reach this collector; used in the default region's ingest address. */
    publicHost: hostSchema.default('127.0.0.1'),
    /** Omitted: one region, this collector. */
    regions: z
      .array(regionConfigSchema, { invalid_type_error: 'must be a list of regions' })
      .min(1, 'needs at least one region')
      .optional()
      .superRefine((regions, ctx) => {
        const seen = new Set<string>();
        regions?.forEach((r, i) => {
          if (seen.has(r.id)) ctx.addIssue({ code: 'custom', path: [i, 'id'], message: `repeats the region id "${r.id}"` });
          seen.add(r.id);
        });
      }),
    retention: z
      .object({
        rawDays: positiveInt('days').default(RETENTION_DEFAULTS.rawDays),
        rollupDays: positiveInt('days').default(RETENTION_DEFAULTS.rollupDays),
      })
      .strict()
      .default({}),
    apdexMs: positiveInt('milliseconds').default(1200),
    sessionDays: positiveInt('days').max(365, 'must be at most 365 days').default(14),
    secureCookies: z.boolean({ invalid_type_error: 'must be true or false' }).default(false),
    alerts: alertsConfigSchema.default({}),
  })
  .strict();

export type RegionConfig = z.infer<typeof regionConfigSchema>;

/** The validated collector config; `regions` always filled in. */
export type CollectorConfig = Omit<z.infer<typeof configSchema>, 'regions'> & { regions: RegionConfig[] };
