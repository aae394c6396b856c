import type { Step, TransactionProfile, TransactionSummary } from '../../src/api/transactions';
import { seedAgents } from './agents';

/**
 * Seeded transactions of the mock project, generated on demand per second of time, so any
 * window (and live polling) is answered without holding millions of rows: the same second
 * always yields the same transactions. Parameters are encrypted, like the real agent does,
 * under the demo security key.
 */
export const DEMO_SECURITY_KEY = 'DEMO2SECURITYKEY7ABC';
/** How far back the mock has data. */
export const SEED_HISTORY_MS = 6 * 3_600_000;
/** Fixed at load so the inactive agent stops at one instant for the whole session. */
const EPOCH = Date.now();
const AGENTS = seedAgents(EPOCH);
/** Agent 4 went inactive 25 minutes before load; its transactions stop there. */
const STOPPED: Record<number, number> = { 4: EPOCH - 25 * 60_000 };
const RATE: Record<number, number> = { 1: 5, 2: 4.5, 3: 3, 4: 2 };

export const XSS_URL = '/search/<img src=x onerror=alert(1)>';
export const XSS_SQL = "SELECT id, name FROM products WHERE name LIKE '<script>alert(1)</script>' AND id = ?";

interface Route {
  method: string;
  url: string;
  handler: string;
  weight: number;
  /** Median elapsed, ms. */
  ms: number;
  sql: [number, number];
  httpc?: string;
  errorRate: number;
  error?: [string, string];
  params?: Record<string, string[]>;
  /** SQL templates used in order (cycled). */
  queries: string[];
}

const Q = {
  user: 'SELECT id, email, name FROM users WHERE id = ?',
  product: 'SELECT id, name, price, stock FROM products WHERE id = ?',
  list: 'SELECT id, name, price FROM products WHERE category_id = ? ORDER BY name LIMIT ? OFFSET ?',
  search: "SELECT id, name, price FROM products WHERE name ILIKE ? AND active = true ORDER BY rank DESC LIMIT ?",
  cart: 'SELECT c.id, i.product_id, i.qty FROM carts c JOIN cart_items i ON i.cart_id = c.id WHERE c.user_id = ?',
  addItem: 'INSERT INTO cart_items (cart_id, product_id, qty) VALUES (?, ?, ?)',
  order: 'INSERT INTO orders (user_id, total, status) VALUES (?, ?, ?) RETURNING id',
  stock: 'UPDATE products SET stock = stock - ? WHERE id = ? AND stock >= ?',
  orderGet: 'SELECT id, total, status, created_at FROM orders WHERE id = ? AND user_id = ?',
  report: 'SELECT SUM(total) FROM orders WHERE user_id = ? AND created_at >= ?',
};

const ROUTES: Route[] = [
  { method: 'GET', url: '/', handler: 'shop.views:home', weight: 14, ms: 24, sql: [1, 2], errorRate: 0, queries: [Q.list] },
  { method: 'GET', url: '/products', handler: 'shop.views:product_list', weight: 16, ms: 58, sql: [2, 4], errorRate: 0.002, queries: [Q.list, Q.product], params: { category: ['shoes'], page: ['2'] } },
  { method: 'GET', url: '/products/{id}', handler: 'shop.views:product_detail', weight: 18, ms: 38, sql: [1, 3], errorRate: 0.004, error: ['Product.DoesNotExist', 'Product matching query does not exist.'], queries: [Q.product, Q.user] },
  { method: 'GET', url: '/search', handler: 'shop.views:search', weight: 9, ms: 120, sql: [2, 3], errorRate: 0.003, queries: [Q.search, Q.product], params: { q: ['running shoes'], sort: ['price'] } },
  { method: 'GET', url: '/cart', handler: 'shop.cart:show', weight: 10, ms: 33, sql: [1, 2], errorRate: 0, queries: [Q.cart, Q.product] },
  { method: 'POST', url: '/cart/items', handler: 'shop.cart:add_item', weight: 7, ms: 52, sql: [2, 3], errorRate: 0.01, error: ['IntegrityError', 'duplicate key value violates unique constraint "cart_items_pkey"\nDETAIL:  Key (cart_id, product_id)=(#, #) already exists.'], queries: [Q.cart, Q.addItem], params: { product_id: ['1842'], qty: ['2'] } },
  { method: 'POST', url: '/checkout', handler: 'shop.checkout:submit', weight: 3, ms: 460, sql: [4, 8], httpc: 'https://payments.internal/v1/charges', errorRate: 0.04, error: ['PaymentDeclined', 'card declined: insufficient funds'], queries: [Q.cart, Q.order, Q.stock, Q.user], params: { coupon: ['WELCOME10'] } },
  { method: 'GET', url: '/api/orders/{id}', handler: 'shop.api:order_detail', weight: 9, ms: 44, sql: [2, 2], errorRate: 0.005, error: ['PermissionDenied', 'order belongs to another user'], queries: [Q.orderGet, Q.user] },
  { method: 'GET', url: '/api/recommendations', handler: 'shop.api:recommendations', weight: 6, ms: 95, sql: [1, 1], httpc: 'http://recs.internal/api/v2/recommend', errorRate: 0.012, error: ['requests.exceptions.ReadTimeout', "HTTPConnectionPool(host='recs.internal', port=80): Read timed out. (read timeout=2)"], queries: [Q.user] },
  { method: 'POST', url: '/login', handler: 'shop.auth:login', weight: 4, ms: 170, sql: [1, 1], errorRate: 0.01, error: ['ValueError', 'invalid salt'], queries: [Q.user], params: { next: ['/cart'] } },
  { method: 'GET', url: '/reports/monthly', handler: 'shop.reports:monthly', weight: 0.15, ms: 2600, sql: [900, 900], errorRate: 0.05, error: ['OperationalError', 'canceling statement due to statement timeout'], queries: [Q.report] },
];
const XSS_ROUTE: Route = { method: 'GET', url: XSS_URL, handler: 'shop.views:search', weight: 0, ms: 80, sql: [1, 1], errorRate: 1, error: ['TemplateSyntaxError', '<b>unclosed</b> tag <script>alert(1)</script>'], queries: [XSS_SQL], params: { q: ['<img src=x onerror=alert(1)>'] } };
const TOTAL_WEIGHT = ROUTES.reduce((s, r) => s + r.weight, 0);

/** mulberry32: small, fast, good enough for believable data. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const hash = (a: number, b: number) => Math.imul(a ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(b + 0x27d4eb2f, 0xc2b2ae35);
/** Log-normal-ish multiplier with a long tail. */
const spread = (r: () => number) => Math.exp((r() + r() + r() - 1.5) * 0.9) * (r() < 0.01 ? 6 + r() * 20 : 1);

export interface SeedTransaction extends TransactionSummary {
  route: Route;
  cpu: number;
  clientIp: string;
  userAgent: string;
}

const UAS = ['Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 Safari/605.1.15', 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) Chrome/126.0 Safari/537.36', 'okhttp/4.12.0', 'python-requests/2.31.0'];
const txidOf = (agentId: number, sec: number, i: number) => `t${agentId}${sec.toString(36)}${i.toString(36).padStart(2, '0')}`;

/** The transactions of one agent ending in second `sec` (epoch s). */
function bucket(agentId: number, sec: number): SeedTransaction[] {
  const t = sec * 1000;
  if (t < EPOCH - SEED_HISTORY_MS || t >= (STOPPED[agentId] ?? Infinity)) return [];
  const r = prng(hash(sec, agentId));
  const hour = ((sec / 3600) % 24) / 24;
  const rate = RATE[agentId]! * (0.75 + 0.5 * Math.sin(hour * 2 * Math.PI) ** 2);
  const n = Math.floor(rate + r() * 2 - 0.5);
  const out: SeedTransaction[] = [];
  const xss = agentId === 1 && sec % 60 === 7;
  for (let i = 0; i < Math.max(n, xss ? 1 : 0); i++) {
    let route = ROUTES[0]!;
    let pick = r() * TOTAL_WEIGHT;
    for (const candidate of ROUTES) if ((pick -= candidate.weight) <= 0) { route = candidate; break; }
    if (xss && i === 0) route = XSS_ROUTE;
    const elapsed = Math.max(1, Math.round(route.ms * spread(r) * 10) / 10);
    const isError = r() < route.errorRate;
    const end = t + Math.floor(r() * 1000);
    const sqlCount = route.sql[0] + Math.floor(r() * (route.sql[1] - route.sql[0] + 1));
    const httpcCount = route.httpc ? 1 : 0;
    const httpcTime = httpcCount ? Math.round(elapsed * (0.4 + r() * 0.3) * 10) / 10 : 0;
    const sqlTime = Math.round((elapsed - httpcTime) * (0.3 + r() * 0.4) * 10) / 10;
    const status = isError ? (route.error?.[0] === 'PermissionDenied' ? 403 : 500) : route.method === 'POST' ? 302 : 200;
    const agent = AGENTS.find((a) => a.id === agentId)!;
    out.push({
      txid: txidOf(agentId, sec, i),
      agentId,
      objectName: agent.objectName,
      start: end - elapsed,
      end,
      elapsed,
      url: route.url,
      method: route.method,
      status,
      error: isError && route.error ? route.error[0] : null,
      sqlCount,
      sqlTime,
      httpcCount,
      httpcTime,
      route,
      cpu: Math.round(elapsed * (0.1 + r() * 0.3) * 10) / 10,
      clientIp: `203.0.113.${1 + Math.floor(r() * 250)}`,
      userAgent: UAS[Math.floor(r() * UAS.length)]!,
    });
  }
  return out;
}

/** Every transaction ending in [from, to] (epoch ms), only from seconds already complete at `now`. */
export function seedTransactions(from: number, to: number, now: number = Date.now()): SeedTransaction[] {
  const first = Math.floor(Math.max(from, EPOCH - SEED_HISTORY_MS) / 1000);
  const last = Math.min(Math.floor(to / 1000), Math.floor(now / 1000) - 1);
  const out: SeedTransaction[] = [];
  for (let sec = first; sec <= last; sec++) {
    for (const a of AGENTS) for (const tx of bucket(a.id, sec)) if (tx.end >= from && tx.end <= to) out.push(tx);
  }
  return out;
}

/** The cursor of the seed: every second before it is complete. */
export const seedCursor = (now: number = Date.now()) => Math.floor(now / 1000) * 1000;

/** Finds a transaction by txid (it names its agent and second). */
export function seedTransaction(txid: string): SeedTransaction | null {
  const m = /^t(\d)([0-9a-z]{6})([0-9a-z]{2,})$/.exec(txid);
  if (!m) return null;
  return bucket(Number(m[1]), parseInt(m[2]!, 36)).find((tx) => tx.txid === txid) ?? null;
}

export function toSummary(tx: SeedTransaction): TransactionSummary {
  const { route: _route, cpu: _cpu, clientIp: _ip, userAgent: _ua, ...summary } = tx;
  return summary;
}

// --- profiles, with encrypted parameters ---

const keys = new Map<number, Promise<CryptoKey>>();
/** One salt per agent process, as the agent does; derived once per agent (600,000 iterations). */
const saltOf = (agentId: number) => Uint8Array.from({ length: 16 }, (_, i) => (i * 31 + agentId * 7 + 3) & 0xff);
const b64url = (b: Uint8Array) => btoa(String.fromCharCode(...b)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');

async function seal(agentId: number, value: unknown): Promise<string> {
  let key = keys.get(agentId);
  if (!key) {
    key = (async () => {
      const material = await crypto.subtle.importKey('raw', new TextEncoder().encode(DEMO_SECURITY_KEY), 'PBKDF2', false, ['deriveKey']);
      return crypto.subtle.deriveKey({ name: 'PBKDF2', hash: 'SHA-256', salt: saltOf(agentId), iterations: 600_000 }, material, { name: 'AES-GCM', length: 256 }, false, ['encrypt']);
    })();
    keys.set(agentId, key);
  }
  const nonce = crypto.getRandomValues(new Uint8Array(12));
  const ct = await crypto.subtle.encrypt({ name: 'AES-GCM', iv: nonce }, await key, new TextEncoder().encode(JSON.stringify(value)));
  return `v1.${b64url(saltOf(agentId))}.${b64url(nonce)}.${b64url(new Uint8Array(ct))}`;
}

function bindValues(sql: string, r: () => number): unknown[] {
  const n = (sql.match(/\?/g) ?? []).length;
  return Array.from({ length: n }, (_, k) => (k === 0 && sql.includes('ILIKE') ? '%running shoes%' : sql.includes('LIKE') && k === 0 ? 42 : Math.floor(r() * 9000) + 1));
}

const STACK = (cls: string, msg: string, handler: string) =>
  `Traceback (most recent call last):\n  File "/srv/shop/venv/lib/python3.11/site-packages/django/core/handlers/base.py", line 197, in _get_response\n    response = wrapped_callback(request, *callback_args, **callback_kwargs)\n  File "/srv/shop/${handler.split(':')[0]!.replace(/\./g, '/')}.py", line 88, in ${handler.split(':')[1]}\n    return render(request, "page.html", context)\n${cls}: ${msg}`;

/** What the agent writes in the message step that carries a masked error's original text. */
export const MASKED_NOTE = "The error text above has its values masked; the original is in this step's encrypted parameters.";
/** The values masked out of the seeded IntegrityError (revealed with the security key). */
export const MASKED_ORIGINAL_VALUES = '7731, 1842';

/** The full profile of a seeded transaction: steps laid out in time, parameters sealed. */
export async function seedProfile(txid: string): Promise<TransactionProfile | null> {
  const tx = seedTransaction(txid);
  if (!tx) return null;
  const r = prng(hash(parseInt(txid.slice(2), 36) | 0, 77));
  const route = tx.route;
  const steps: Step[] = [{ kind: 'dbc', start: 0.4, elapsed: 1.2, text: 'postgresql://shop@db-1:5432/shop', depth: 1 }];
  let at = 2;
  const gapBudget = Math.max(0, tx.elapsed - tx.sqlTime - tx.httpcTime - 3) / (tx.sqlCount + tx.httpcCount + 2);
  for (let i = 0; i < tx.sqlCount; i++) {
    const text = route.queries[i % route.queries.length]!;
    const elapsed = Math.round((tx.sqlTime / tx.sqlCount) * (0.5 + r()) * 100) / 100;
    at += gapBudget * r();
    steps.push({ kind: 'sql', start: Math.round(at * 100) / 100, elapsed, text, params: await seal(tx.agentId, bindValues(text, r)), fetch: text.startsWith('SELECT') ? 1 + Math.floor(r() * 20) : null, depth: 1 });
    at += elapsed;
    if (i === 0 && r() < 0.3) steps.push({ kind: 'message', start: Math.round(at * 100) / 100, elapsed: 0, text: 'cache miss: product:1842', depth: 1 });
  }
  if (route.httpc) {
    at += gapBudget * r();
    const failed = tx.error?.startsWith('requests.');
    steps.push({ kind: 'httpc', start: Math.round(at * 100) / 100, elapsed: tx.httpcTime, text: route.httpc, status: failed ? null : tx.error ? 402 : 200, error: failed ? 'Read timed out' : null, depth: 1 });
    at += tx.httpcTime;
  }
  steps.push({ kind: 'method', start: 0.2, elapsed: Math.round((tx.elapsed - 0.5) * 100) / 100, text: route.handler, depth: 0 });
  if (tx.error && route.error) {
    const start = Math.min(tx.elapsed, Math.round(at * 100) / 100);
    steps.push({ kind: 'error', start, elapsed: 0, text: route.error[0], error: route.error[1], depth: 1 });
    // The agent masks values in error texts and keeps the original only sealed, in a message step.
    if (route.error[1].includes('(#')) {
      const original = `${route.error[0]}: ${route.error[1].replace('(#, #)', `(${MASKED_ORIGINAL_VALUES})`)}`;
      steps.push({ kind: 'message', start, elapsed: 0, text: MASKED_NOTE, params: await seal(tx.agentId, { error: original }), depth: 1 });
    }
  }
  steps.sort((a, b) => a.start - b.start || (a.depth ?? 0) - (b.depth ?? 0));
  return {
    transaction: {
      ...toSummary(tx),
      cpu: tx.cpu,
      clientIp: tx.clientIp,
      userAgent: tx.userAgent,
      errorMessage: tx.error && route.error ? route.error[1] : null,
      errorStack: tx.error && route.error ? STACK(route.error[0], route.error[1], route.handler) : null,
      params: route.params ? await seal(tx.agentId, route.params) : null,
    },
    steps,
  };
}
