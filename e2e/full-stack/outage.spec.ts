import { ProtocolAgent } from '../../collector/demo/agent-client';
import { type AgentCounter, type AgentTransaction, CounterWindow, TrafficGenerator } from '../../collector/demo/generator';
import { agentListSchema } from '../../src/api/agents';
import { expect, test } from '../fixtures/collector';
import { saveScreenshot } from '../fixtures/screenshots';

// A 2-minute collector outage with the spool off, as the agent reports it: the transactions of
// those slots never arrive and each slot's counter carries them in `dropped` (and in txCount,
// as the tracer counts them). Fed through the real ingest protocol to a real collector; the
// dashboard, the agents page and the hitmap must show the drops for the right minutes.

const ADMIN = { username: 'ops-admin', password: 'a-long-enough-password' };
const LOSSY = 'shop-0-1-gunicorn';
const STEADY = 'shop-0-2-gunicorn';
const SLOT = 5_000;
const PER_SLOT = 3;
const DROPPED_PER_SLOT = 10;

const now = Date.now();
const lastSlot = Math.floor(now / SLOT) * SLOT;
/** The outage: the slots whose counters end in (outageFrom, outageFrom + 2 min]. */
const outageFrom = Math.floor((now - 20 * 60_000) / 60_000) * 60_000;
const outageSlots = 24;
const inOutage = (slotEnd: number) => slotEnd > outageFrom && slotEnd <= outageFrom + outageSlots * SLOT;
const hhmm = (t: number) => new Date(t).toISOString().slice(11, 16);

let pcode = '';
let stored = 0;

/** 30 minutes of one agent's traffic: transactions and a counter per 5 s slot. */
async function feed(ingestPort: number, license: string, objectName: string, pid: number, lossy: boolean) {
  const agent = new ProtocolAgent({
    host: '127.0.0.1',
    port: ingestPort,
    license,
    hello: { objectName, appName: 'shop', processName: 'gunicorn', hostname: 'web-1', ip: '10.0.0.1', pid },
  });
  await agent.connect();
  const gen = new TrafficGenerator({ seed: pid, txidPrefix: `o${pid}` });
  const window = new CounterWindow(pid);
  const counters: AgentCounter[] = [];
  let batch: AgentTransaction[] = [];
  for (let slotEnd = lastSlot - 30 * 60_000; slotEnd <= lastSlot; slotEnd += SLOT) {
    const txs = Array.from({ length: PER_SLOT }, (_, k) => gen.transaction(slotEnd - 4_000 + k * 1_000));
    for (const tx of txs) window.add(tx);
    const counter = window.take(slotEnd);
    if (lossy && inOutage(slotEnd)) {
      // Buffer full, spool off: nothing of this slot reaches the collector but its counter.
      counters.push({ ...counter, txCount: (counter.txCount ?? 0) + DROPPED_PER_SLOT - txs.length, dropped: DROPPED_PER_SLOT });
      continue;
    }
    counters.push(counter);
    batch.push(...txs);
    stored += txs.length;
    if (batch.length >= 300) {
      await agent.sendTransactions(batch);
      batch = [];
    }
  }
  if (batch.length > 0) await agent.sendTransactions(batch);
  for (let i = 0; i < counters.length; i += 100) await agent.sendCounters(counters.slice(i, i + 100));
  agent.close();
}

test.describe.configure({ mode: 'serial' });

test('after an outage the drops show on the agents page, the dashboard and the hitmap', async ({ page, collector }) => {
  test.setTimeout(120_000);
  const headers = { 'x-tapscope-client': 'console' };
  const api = page.request;
  expect((await api.post('/api/v1/setup', { data: { ...ADMIN, token: collector.setupToken }, headers })).status()).toBe(201);
  const regions = (await (await api.get('/api/v1/regions')).json()) as { regions: Array<{ id: string }> };
  const created = await api.post('/api/v1/projects', {
    data: { name: 'Outage shop', region: regions.regions[0]!.id, timezone: 'UTC' },
    headers,
  });
  expect(created.status()).toBe(201);
  pcode = ((await created.json()) as { project: { pcode: string } }).project.pcode;
  const issued = await api.post(`/api/v1/projects/${pcode}/licenses`, { data: { label: 'outage' }, headers });
  const { key } = (await issued.json()) as { key: string };

  await feed(collector.ingestPort, key, LOSSY, 4201, true);
  await feed(collector.ingestPort, key, STEADY, 4202, false);
  const dropped = outageSlots * DROPPED_PER_SLOT;

  // The API: drops of the last hour and day, for the lossy agent only (writes are durable on ack,
  // the roll-ups may trail by a moment).
  await expect
    .poll(
      async () => {
        const { agents } = agentListSchema.parse(await (await api.get(`/api/v1/projects/${pcode}/agents`)).json());
        return agents.map((a) => [a.objectName, a.dropped.hour, a.dropped.day]);
      },
      { timeout: 20_000 },
    )
    .toEqual([
      [LOSSY, dropped, dropped],
      [STEADY, 0, 0],
    ]);

  // Agents page: a badge on the lossy agent, nothing on the other.
  await page.goto(`/projects/${pcode}/agents`);
  const table = page.getByRole('table', { name: 'Agents of this project' });
  const lossyRow = table.locator('tr', { hasText: LOSSY });
  await expect(lossyRow).toContainText(`${dropped} not recorded`);
  await expect(lossyRow).toContainText('last 1 h · buffer full');
  await expect(lossyRow.locator('[title*="agent buffer full during a collector outage"]')).toHaveCount(1);
  await expect(table.locator('tr', { hasText: STEADY })).not.toContainText('not recorded');
  await saveScreenshot(page, 'outage-agents');

  // Dashboard over the last hour: the range is marked, with who and why, at the outage's minutes;
  // the transaction count is what was stored.
  await page.goto(`/projects/${pcode}/dashboard?range=1h`);
  const drops = page.getByRole('list', { name: 'Transactions not recorded' });
  await expect(drops.getByRole('listitem')).toHaveCount(1, { timeout: 20_000 });
  const item = drops.getByRole('listitem').first();
  await expect(item).toContainText(`${dropped} transactions not recorded by ${LOSSY}: agent buffer full`);
  await expect(item).toContainText(new RegExp(`${hhmm(outageFrom)}(:00)?–${hhmm(outageFrom + outageSlots * SLOT)}(:00)?\\b`));
  const errors = page.getByRole('group', { name: 'Errors' });
  await expect(errors).toContainText(`of ${stored.toLocaleString('en-US')} transactions recorded (${dropped} not recorded)`);
  await saveScreenshot(page, 'outage-dashboard');

  // Hitmap over the outage: the hole is shaded and explained.
  await page.goto(`/projects/${pcode}/hitmap?mode=range&from=${outageFrom - 5 * 60_000}&to=${outageFrom + 7 * 60_000}`);
  const bands = page.getByRole('list', { name: 'Transactions not recorded' });
  await expect(bands).toContainText(`${dropped} transactions not recorded by ${LOSSY}: agent buffer full`, { timeout: 20_000 });
  await expect(page.getByTestId('hitmap-band')).toHaveCount(1);
  await saveScreenshot(page, 'outage-hitmap');
});
