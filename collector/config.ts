import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { ZodArray, ZodDefault, ZodEffects, ZodObject, ZodOptional, type z } from 'zod';
import { parseCliArgs } from './config/argv';
import { ConfigError } from './config/config-error';
import { configSchema, type CollectorConfig } from './config/schema';

export { ConfigError } from './config/config-error';
export type { CollectorConfig, RegionConfig } from './config/schema';

/** One setting given by the environment or the command line, remembered so an error can name it. */
interface Override {
  path: string[];
  value: unknown;
  source: string;
}

const ENV_KEYS: Array<[string, string[], 'int' | 'string' | 'bool']> = [
  ['TAPSCOPE_HTTP_PORT', ['http', 'port'], 'int'],
  ['TAPSCOPE_HTTP_HOST', ['http', 'host'], 'string'],
  ['TAPSCOPE_INGEST_PORT', ['ingest', 'port'], 'int'],
  ['TAPSCOPE_INGEST_HOST', ['ingest', 'host'], 'string'],
  ['TAPSCOPE_DATA_DIR', ['dataDir'], 'string'],
  ['TAPSCOPE_PUBLIC_HOST', ['publicHost'], 'string'],
  ['TAPSCOPE_META_URL', ['storage', 'meta'], 'string'],
  ['TAPSCOPE_TELEMETRY_URL', ['storage', 'telemetry'], 'string'],
  ['TAPSCOPE_LOG_REQUESTS', ['http', 'logRequests'], 'bool'],
  ['TAPSCOPE_ALERTS_EVALUATE_MS', ['alerts', 'evaluateEveryMs'], 'int'],
  ['TAPSCOPE_ALERTS_LEASE_MS', ['alerts', 'leaseMs'], 'int'],
  ['TAPSCOPE_CONSOLE_URL', ['alerts', 'consoleUrl'], 'string'],
  ['TAPSCOPE_SMTP_HOST', ['alerts', 'smtp', 'host'], 'string'],
  ['TAPSCOPE_SMTP_PORT', ['alerts', 'smtp', 'port'], 'int'],
  ['TAPSCOPE_SMTP_SECURITY', ['alerts', 'smtp', 'security'], 'string'],
  ['TAPSCOPE_SMTP_USERNAME', ['alerts', 'smtp', 'username'], 'string'],
  ['TAPSCOPE_SMTP_PASSWORD', ['alerts', 'smtp', 'password'], 'string'],
  ['TAPSCOPE_SMTP_FROM', ['alerts', 'smtp', 'from'], 'string'],
];

/**
 * Loads the collector config: defaults < JSON config file (`--config` or `TAPSCOPE_CONFIG`)
 * < environment < command-line flags. Throws ConfigError with a message naming the bad key,
 * its value and where it came from.
 */
export function loadConfig(env: NodeJS.ProcessEnv, argv: readonly string[] = []): CollectorConfig {
  const args = parseCliArgs(argv);
  const fileFlag = args.config !== undefined ? '--config' : 'TAPSCOPE_CONFIG';
  const file = nonEmpty(args.config) ?? nonEmpty(env.TAPSCOPE_CONFIG);
  const filePath = file === undefined ? undefined : resolve(file);
  const raw = filePath === undefined ? {} : readConfigFile(filePath, fileFlag);

  const overrides: Override[] = [];
  for (const [name, path, kind] of ENV_KEYS) {
    const value = nonEmpty(env[name]);
    if (value !== undefined) {
      overrides.push({ path, value: kind === 'int' ? toInt(value) : kind === 'bool' ? toBool(value) : value, source: name });
    }
  }
  if (args.httpPort !== undefined) overrides.push({ path: ['http', 'port'], value: toInt(args.httpPort), source: '--http-port' });
  if (args.ingestPort !== undefined)
    overrides.push({ path: ['ingest', 'port'], value: toInt(args.ingestPort), source: '--ingest-port' });
  if (args.dataDir !== undefined) overrides.push({ path: ['dataDir'], value: args.dataDir, source: '--data-dir' });
  for (const o of overrides) setPath(raw, o.path, o.value);

  const parsed = configSchema.safeParse(raw);
  if (!parsed.success) throw new ConfigError(describeIssue(parsed.error.issues[0]!, raw, overrides, filePath));
  const config = parsed.data;
  return {
    ...config,
    dataDir: resolve(config.dataDir),
    regions: config.regions ?? [
      { id: 'local', name: 'Local (this collector)', ingest: [`${formatHost(config.publicHost)}:${config.ingest.port}`] },
    ],
  };
}

function readConfigFile(path: string, flag: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new ConfigError(`config file ${path} (from ${flag}) does not exist`);
    throw new ConfigError(`config file ${path} (from ${flag}) cannot be read: ${(err as Error).message}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new ConfigError(`config file ${path} is not valid JSON: ${(err as Error).message}`);
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json))
    throw new ConfigError(`config file ${path} must hold a JSON object, like {"http": {"port": 8080}}`);
  return json as Record<string, unknown>;
}

function describeIssue(issue: z.ZodIssue, raw: unknown, overrides: Override[], filePath?: string): string {
  const path = issue.path.map(String);
  // The last override covering this path set the value; otherwise it came from the file.
  const override = [...overrides].reverse().find((o) => o.path.every((p, i) => path[i] === p));
  const where = override ? override.source : filePath ? `config file ${filePath}` : 'built-in defaults';
  const dotted = issue.path.map((k, i) => (typeof k === 'number' ? `[${k}]` : i === 0 ? k : `.${k}`)).join('');
  if (issue.code === 'unrecognized_keys') {
    const keys = issue.keys.map((k) => `"${dotted ? dotted + '.' : ''}${k}"`).join(', ');
    const known = knownKeys(issue.path).join(', ');
    return `${where}: unknown setting ${keys}${dotted ? '' : ' at the top level'} (check the spelling; known: ${known})`;
  }
  if (override) return `${override.source}=${JSON.stringify(shown(override.value, path))} ${issue.message}`;
  const value = valueAt(raw, issue.path);
  const valueText = value === undefined ? '' : ` = ${JSON.stringify(shown(value, path))}`;
  return `${where}: "${dotted}"${valueText} ${issue.message}`;
}

/** Storage URLs may carry a password: never echo their user-info part. */
function shown(value: unknown, path: string[]): unknown {
  if (path[0] === 'storage' && typeof value === 'string') return value.replace(/\/\/[^@/]*@/, '//***@');
  if (path.at(-1) === 'password') return '***';
  if (typeof value === 'string' && value.length > 80) return value.slice(0, 77) + '...';
  return value;
}

/** The setting names allowed at a path, for the "unknown setting" hint. */
function knownKeys(path: ReadonlyArray<string | number>): string[] {
  let schema = unwrap(configSchema);
  for (const key of path) {
    if (typeof key === 'number') continue; // unwrap already stepped into the array's element
    if (!(schema instanceof ZodObject)) return [];
    schema = unwrap((schema.shape as Record<string, z.ZodTypeAny>)[key]);
  }
  return schema instanceof ZodObject ? Object.keys(schema.shape as object) : [];
}

function unwrap(schema: z.ZodTypeAny | undefined): z.ZodTypeAny | undefined {
  for (;;) {
    if (schema instanceof ZodDefault || schema instanceof ZodOptional) schema = schema._def.innerType;
    else if (schema instanceof ZodEffects) schema = schema._def.schema;
    else if (schema instanceof ZodArray) schema = schema.element;
    else return schema;
  }
}

function valueAt(obj: unknown, path: ReadonlyArray<string | number>): unknown {
  let cur = obj;
  for (const key of path) {
    if (typeof cur !== 'object' || cur === null) return undefined;
    cur = (cur as Record<string | number, unknown>)[key];
  }
  return cur;
}

function setPath(obj: Record<string, unknown>, path: string[], value: unknown): void {
  let cur = obj;
  for (const key of path.slice(0, -1)) {
    const next = cur[key];
    // A non-object here is a file error the schema reports; overriding it is the user's intent.
    if (typeof next !== 'object' || next === null || Array.isArray(next)) cur[key] = {};
    cur = cur[key] as Record<string, unknown>;
  }
  cur[path[path.length - 1]!] = value;
}

function toInt(value: string): unknown {
  return /^\s*\d+\s*$/.test(value) ? Number(value) : value;
}

/** 1/true/yes/on and 0/false/no/off; anything else is left as is for the schema to name. */
function toBool(value: string): unknown {
  const v = value.trim().toLowerCase();
  if (['1', 'true', 'yes', 'on'].includes(v)) return true;
  if (['0', 'false', 'no', 'off'].includes(v)) return false;
  return value;
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value;
}

function formatHost(host: string): string {
  return host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
}
