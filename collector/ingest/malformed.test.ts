import { randomBytes } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ProtocolAgent } from '../demo/agent-client';
import { TrafficGenerator } from '../demo/generator';
import { FrameClient, type IngestHarness, startIngestHarness } from '../testing/telemetry-fixtures';
import { FrameType } from './frames';

function header(length: number, type: number): Buffer {
  const b = Buffer.alloc(5);
  b.writeUInt32BE(length, 0);
  b.writeUInt8(type, 4);
  return b;
}

function rawFrame(type: number, body: string | Buffer): Buffer {
  const bytes = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
  return Buffer.concat([header(bytes.length + 1, type), bytes]);
}

describe('ingest under malformed input', () => {
  let h: IngestHarness;
  const open: FrameClient[] = [];
  const connect = async () => {
    const c = await FrameClient.connect(h.port);
    open.push(c);
    return c;
  };
  const ready = async () => {
    const c = await connect();
    expect((await c.hello(h.license, `bad-${open.length}`)).type).toBe(FrameType.WELCOME);
    return c;
  };

  beforeEach(async () => {
    h = await startIngestHarness();
  });
  afterEach(async () => {
    for (const c of open.splice(0)) c.close();
    await h.close();
  });

  /** Sends `bytes` on a fresh authenticated connection; returns the collector's answer. */
  async function answerTo(bytes: Buffer, authenticated = true) {
    const c = authenticated ? await ready() : await connect();
    c.raw(bytes);
    const answer = await c.next(3000).catch(() => null);
    return { c, answer };
  }

  it('closes only the offending connection, with a reason, and keeps what it acknowledged', async () => {
    const good = new ProtocolAgent({ host: '127.0.0.1', port: h.port, license: h.license, hello: { objectName: 'good-agent' } });
    await good.connect();
    const gen = new TrafficGenerator({ seed: 21 });
    const acked: string[] = [];
    let stop = false;
    const steady = (async () => {
      while (!stop) {
        const txs = Array.from({ length: 20 }, () => gen.transaction(Date.now()));
        await good.sendTransactions(txs);
        acked.push(...txs.map((t) => t.txid));
        await new Promise((r) => setTimeout(r, 5));
      }
    })();

    const expectError = async (bytes: Buffer, code: string, authenticated = true) => {
      const { c, answer } = await answerTo(bytes, authenticated);
      expect(answer, code).toMatchObject({ type: FrameType.ERROR, body: { code } });
      await c.waitClosed();
    };

    // Random bytes before and after the handshake (a first byte ≥ 0x80 makes an 2+ GiB length).
    await expectError(Buffer.concat([Buffer.from([0xff]), randomBytes(4096)]), 'frame_too_large', false);
    await expectError(Buffer.concat([Buffer.from([0xde, 0xad]), randomBytes(2000)]), 'frame_too_large');
    // Before authentication, frames are capped at 64 KiB; after it at maxFrame (8 MiB).
    await expectError(header(70_000, FrameType.HELLO), 'frame_too_large', false);
    await expectError(header(9 * 1024 * 1024, FrameType.TX_BATCH), 'frame_too_large');
    await expectError(Buffer.alloc(4), 'malformed'); // length 0
    await expectError(rawFrame(FrameType.TX_BATCH, '{"seq": 1, "txs": ['), 'malformed');
    await expectError(rawFrame(FrameType.TX_BATCH, '[1, 2, 3]'), 'malformed');
    await expectError(rawFrame(FrameType.TX_BATCH, Buffer.from([0xc3, 0x28, 0xa0, 0xa1])), 'malformed');
    await expectError(rawFrame(FrameType.TX_BATCH, '['.repeat(200_000)), 'malformed');
    await expectError(rawFrame(FrameType.TX_BATCH, '{"seq": "1", "txs": []}'), 'protocol');
    await expectError(rawFrame(FrameType.COUNTERS, '{"counters": []}'), 'protocol');
    await expectError(rawFrame(0x7f, '{}'), 'unknown_type');
    await expectError(rawFrame(FrameType.HELLO, '{}'), 'protocol');
    await expectError(rawFrame(FrameType.HEARTBEAT, 'not json'), 'malformed');

    // Wrong JSON types and huge strings inside a readable batch: REJECT, connection stays.
    const c = await ready();
    const rejects: Array<[unknown, string]> = [
      [{ seq: 1, txs: 5 }, 'txs'],
      [{ seq: 2, txs: [{ txid: 12345678 }] }, 'txs[0].txid'],
      [{ seq: 3, txs: [{ ...gen.transaction(Date.now()), url: 'u'.repeat(3000) }] }, 'txs[0].url'],
      [{ seq: 4, txs: [{ ...gen.transaction(Date.now()), steps: [{ kind: 'sql', start: 0, elapsed: 1, text: 's'.repeat(70_000) }] }] }, 'txs[0].steps[0].text'],
      [{ seq: 5, txs: [{ ...gen.transaction(Date.now()), steps: new Array(5000).fill({ kind: 'message', start: 0, elapsed: 0, text: '' }) }] }, 'txs[0].steps'],
      [{ seq: 6, txs: [{ ...gen.transaction(Date.now()), elapsed: -1 }] }, 'txs[0].elapsed'],
      ['{"seq": 7, "txs": [{"__proto__": {"polluted": true}, "txid": "proto-0001", "steps": "x"}]}', 'txs[0].start'],
    ];
    for (const [body, field] of rejects) {
      c.raw(rawFrame(FrameType.TX_BATCH, typeof body === 'string' ? body : JSON.stringify(body)));
      const answer = await c.next();
      expect(answer, field).toMatchObject({ type: FrameType.REJECT, body: { code: 'invalid', field } });
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    c.send(FrameType.COUNTERS, { seq: 8, counters: [{ time: 'now' }] });
    expect(await c.next()).toMatchObject({ type: FrameType.REJECT, body: { seq: 8, field: 'counters[0].time' } });

    // A truncated frame, then the peer goes away: nothing to answer, nothing breaks.
    const t = await ready();
    t.raw(Buffer.concat([header(1000, FrameType.TX_BATCH), Buffer.from('{"seq":1,')]));
    t.socket.end();

    // Frames split into single bytes still parse.
    const slow = await ready();
    const frame = rawFrame(FrameType.TX_BATCH, JSON.stringify({ seq: 9, txs: [gen.transaction(Date.now())] }));
    for (const byte of frame) slow.raw(Buffer.from([byte]));
    expect(await slow.next()).toMatchObject({ type: FrameType.ACK, body: { seq: 9, stored: 1 } });

    stop = true;
    await steady;
    good.close();
    expect(acked.length).toBeGreaterThan(0);
    const stored = await h.telemetry.listTransactions(h.pcode, { from: 0, to: Date.now() + 60_000, limit: 5000, sort: 'end' });
    const ids = new Set(stored.transactions.map((x) => x.txid));
    expect(acked.filter((id) => !ids.has(id))).toEqual([]);
    // Still serving new agents.
    const late = await connect();
    expect((await late.hello(h.license, 'late-agent')).type).toBe(FrameType.WELCOME);
  });
});
