/** The synthetic "Demo shop" application: its endpoints, queries and outgoing calls. */
export interface SqlTemplate {
  text: string;
  /** Median time, ms. */
  ms: number;
  /** Builds the bind values (encrypted before sending). */
  binds?: (n: number) => unknown[];
  fetch?: number;
}

export interface Endpoint {
  method: string;
  /** Normalized path, as the tracer reports it. */
  url: string;
  weight: number;
  /** Median own time (besides SQL and calls), ms. */
  ms: number;
  sql: SqlTemplate[];
  httpc?: { url: string; ms: number; failRate?: number };
  errorRate?: number;
  error?: { class: string; message: string; status: number };
  /** Query parameters the app receives (encrypted before sending). */
  params?: (n: number) => Record<string, string[]>;
}

const PRODUCT_BY_ID: SqlTemplate = {
  text: 'SELECT id, name, price, stock FROM product WHERE id = ?',
  ms: 2,
  binds: (n) => [1000 + (n % 500)],
  fetch: 1,
};

export const ENDPOINTS: Endpoint[] = [
  { method: 'GET', url: '/', weight: 14, ms: 12, sql: [{ text: 'SELECT id, title FROM banner WHERE active = ?', ms: 1.5, binds: () => [true], fetch: 3 }] },
  {
    method: 'GET',
    url: '/products',
    weight: 16,
    ms: 20,
    sql: [
      { text: 'SELECT count(*) FROM product WHERE category_id = ?', ms: 4, binds: (n) => [n % 12], fetch: 1 },
      { text: 'SELECT id, name, price FROM product WHERE category_id = ? ORDER BY name LIMIT ? OFFSET ?', ms: 9, binds: (n) => [n % 12, 20, (n % 5) * 20], fetch: 20 },
    ],
    params: (n) => ({ category: [String(n % 12)], page: [String(1 + (n % 5))] }),
  },
  { method: 'GET', url: '/products/{id}', weight: 18, ms: 10, sql: [PRODUCT_BY_ID, { text: 'SELECT body, rating FROM review WHERE product_id = ? LIMIT ?', ms: 5, binds: (n) => [1000 + (n % 500), 10], fetch: 10 }] },
  { method: 'GET', url: '/cart', weight: 10, ms: 8, sql: [{ text: 'SELECT product_id, qty FROM cart_item WHERE cart_id = ?', ms: 2, binds: (n) => [`c-${n % 900}`], fetch: 3 }] },
  { method: 'POST', url: '/cart/items', weight: 7, ms: 9, sql: [PRODUCT_BY_ID, { text: 'INSERT INTO cart_item (cart_id, product_id, qty) VALUES (?, ?, ?)', ms: 3, binds: (n) => [`c-${n % 900}`, 1000 + (n % 500), 1 + (n % 3)] }] },
  {
    method: 'POST',
    url: '/checkout',
    weight: 4,
    ms: 40,
    sql: [
      { text: 'SELECT product_id, qty FROM cart_item WHERE cart_id = ?', ms: 2, binds: (n) => [`c-${n % 900}`], fetch: 3 },
      { text: 'UPDATE product SET stock = stock - ? WHERE id = ? AND stock >= ?', ms: 6, binds: (n) => [1, 1000 + (n % 500), 1] },
      { text: "INSERT INTO orders (customer_id, total, status) VALUES (?, ?, 'new')", ms: 4, binds: (n) => [n % 5000, 19.9 + (n % 80)] },
    ],
    httpc: { url: 'https://payments.example.com/v1/charges', ms: 180, failRate: 0.02 },
    errorRate: 0.04,
    error: { class: 'PaymentDeclined', message: 'card declined by issuer (code 51)', status: 402 },
  },
  { method: 'GET', url: '/orders/{id}', weight: 6, ms: 9, sql: [{ text: 'SELECT id, total, status, created_at FROM orders WHERE id = ? AND customer_id = ?', ms: 3, binds: (n) => [70000 + n, n % 5000], fetch: 1 }] },
  {
    method: 'GET',
    url: '/search',
    weight: 8,
    ms: 30,
    sql: [{ text: 'SELECT id, name FROM product WHERE name LIKE ? ORDER BY rank DESC LIMIT ?', ms: 45, binds: (n) => [`%${['shoes', 'hat', 'coat', 'bag'][n % 4]}%`, 50], fetch: 50 }],
    params: (n) => ({ q: [['shoes', 'hat', 'coat', 'bag'][n % 4]!], page: ['1'] }),
  },
  {
    method: 'GET',
    url: '/api/recommendations',
    weight: 6,
    ms: 15,
    sql: [],
    httpc: { url: 'http://reco.internal:8000/api/v2/suggest?user=42', ms: 90, failRate: 0.03 },
    errorRate: 0.03,
    error: { class: 'requests.exceptions.ReadTimeout', message: "HTTPConnectionPool(host='reco.internal', port=8000): Read timed out. (read timeout=2)", status: 504 },
  },
  {
    method: 'POST',
    url: '/login',
    weight: 5,
    ms: 60,
    sql: [{ text: 'SELECT id, password_hash FROM customer WHERE email = ?', ms: 2, binds: (n) => [`user${n % 5000}@example.com`], fetch: 1 }],
    errorRate: 0.01,
    error: { class: 'ValueError', message: 'invalid literal for int() with base 10: ""', status: 500 },
  },
  {
    method: 'GET',
    url: '/admin/report',
    weight: 0.5,
    ms: 900,
    sql: [{ text: 'SELECT date(created_at), sum(total) FROM orders WHERE created_at >= ? GROUP BY 1', ms: 1800, binds: () => ['2025-01-01'], fetch: 90 }],
    errorRate: 0.05,
    error: { class: 'psycopg2.errors.QueryCanceled', message: 'canceling statement due to statement timeout', status: 500 },
  },
  { method: 'GET', url: '/health', weight: 4, ms: 0.6, sql: [] },
];
