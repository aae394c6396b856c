import { type ClickHouseClient, ClickHouseLogLevel, type ClickHouseSettings, createClient } from '@clickhouse/client';

/** Where the telemetry lives, parsed from `clickhouse://user:pass@host:port/db` or `http(s)://…/db`. */
export interface ClickHouseTarget {
  /** `http(s)://host:port`, without credentials (safe to print). */
  endpoint: string;
  username: string;
  password: string;
  database: string;
  /** Tuning from the URL's query string (see STORE_OPTIONS). */
  options: Record<string, number>;
}

/** Query-string options of the telemetry URL, with what each means; all are numbers. */
export const STORE_OPTIONS: Record<string, string> = {
  flushMs: 'longest wait before rows are inserted, ms (default 1000)',
  flushRows: 'insert as soon as this many rows wait (default 10000)',
  maxBufferRows: 'rows buffered before writes are refused with "busy" (default 200000)',
  settleMs: 'how long a row may take to become visible after its stamp, for the hitmap cursor (default 2000)',
  timeoutMs: 'request timeout, ms (default 30000)',
};

/** Parses and checks a ClickHouse URL; throws an Error whose message never contains the password. */
export function parseClickHouseUrl(url: string): ClickHouseTarget {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new Error('is not a URL; expected clickhouse://user:password@host:8123/database');
  }
  const scheme = u.protocol.replace(/:$/, '');
  if (!['clickhouse', 'http', 'https'].includes(scheme))
    throw new Error('must start with clickhouse://, http:// or https://');
  if (!u.hostname) throw new Error('has no host');
  const secure = scheme === 'https';
  const port = u.port || (secure ? '8443' : '8123');
  const database = decodeURIComponent(u.pathname.replace(/^\/+|\/+$/g, '')) || 'default';
  if (!/^[A-Za-z_][A-Za-z0-9_]{0,63}$/.test(database))
    throw new Error(`names the database "${database}": use letters, digits and "_"`);
  const options: Record<string, number> = {};
  for (const [k, v] of u.searchParams) {
    if (!(k in STORE_OPTIONS)) throw new Error(`has an unknown option "${k}" (known: ${Object.keys(STORE_OPTIONS).join(', ')})`);
    const n = Number(v);
    if (!Number.isFinite(n) || n < 0) throw new Error(`option "${k}" must be a number ≥ 0`);
    options[k] = n;
  }
  return {
    // URL keeps an IPv6 host in brackets already.
    endpoint: `${secure ? 'https' : 'http'}://${u.hostname}:${port}`,
    username: decodeURIComponent(u.username) || 'default',
    password: decodeURIComponent(u.password),
    database,
    options,
  };
}

/** A string literal for ClickHouse SQL (18.16 has no query parameters, so values are inlined). */
export function str(s: string): string {
  return `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

/** A numeric literal; refuses NaN and Infinity, which would change the meaning of a query. */
export function num(n: number): string {
  if (!Number.isFinite(n)) throw new Error(`not a finite number: ${n}`);
  return String(n);
}

/**
 * Settings sent with reads. 64-bit integers come back as JSON numbers (all ours are below
 * 2^53). Nothing newer than 18.16 is sent: an unknown setting fails the whole query there.
 */
const READ_SETTINGS: ClickHouseSettings = { output_format_json_quote_64bit_integers: 0 };

/**
 * The few calls the store makes, over @clickhouse/client (HTTP, JSONEachRow / TabSeparated).
 * It works with 18.16 as long as no query parameters (`{x:Type}`) and no newer settings are
 * used, so literals go through str()/num().
 */
export class ClickHouse {
  private readonly client: ClickHouseClient;

  constructor(
    readonly target: ClickHouseTarget,
    database = target.database,
  ) {
    this.client = createClient({
      url: target.endpoint,
      username: target.username,
      password: target.password,
      database,
      application: 'tapscope-collector',
      request_timeout: target.options.timeoutMs ?? 30_000,
      // Compression costs CPU on both sides; collectors and ClickHouse share a fast network.
      compression: { request: false, response: false },
      // The store reports its own errors (without queries or credentials); the client's logger stays off.
      log: { level: ClickHouseLogLevel.OFF },
    });
  }

  /** Rows of a SELECT, as objects. `longQuery`: the SQL text may exceed the default 256 KiB limit. */
  async rows<T>(sql: string, opts: { longQuery?: boolean } = {}): Promise<T[]> {
    const settings = opts.longQuery ? { ...READ_SETTINGS, max_query_size: String(16 * 1024 * 1024) } : READ_SETTINGS;
    const rs = await this.client.query({ query: sql, format: 'JSONEachRow', clickhouse_settings: settings });
    return rs.json<T>();
  }

  /** Rows of a SELECT as tab-separated text split into fields (fast for large numeric results). */
  async tsv(sql: string): Promise<string[][]> {
    const rs = await this.client.query({ query: sql, format: 'TabSeparated' });
    const text = await rs.text();
    if (text === '') return [];
    const lines = text.split('\n');
    if (lines[lines.length - 1] === '') lines.pop();
    return lines.map((l) => l.split('\t'));
  }

  /** The raw RowBinary bytes of a SELECT (fixed-width rows the caller decodes). */
  async rowBinary(sql: string): Promise<Buffer> {
    const { stream } = await this.client.exec({ query: `${sql} FORMAT RowBinary` });
    const chunks: Buffer[] = [];
    for await (const chunk of stream) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks);
  }

  /** A statement without a result (DDL, ALTER). */
  async exec(sql: string): Promise<void> {
    await this.client.command({ query: sql });
  }

  /** Inserts rows (JSONEachRow). ClickHouse applies one insert of ≤ 1M rows atomically. */
  async insert(table: string, values: readonly object[]): Promise<void> {
    if (values.length === 0) return;
    await this.client.insert({ table, values: values as object[], format: 'JSONEachRow' });
  }

  close(): Promise<void> {
    return this.client.close();
  }
}

/** True for errors ClickHouse itself answered (bad data, a limit), as opposed to the network or a timeout. */
export function isServerError(err: unknown): boolean {
  return typeof (err as { code?: unknown } | null)?.code === 'string' && /^\d+$/.test((err as { code: string }).code);
}
