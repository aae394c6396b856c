import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import tls from 'node:tls';
import { afterEach, describe, expect, it } from 'vitest';
import { FrameClient, type IngestHarness, startIngestHarness } from '../testing/telemetry-fixtures';
import { encodeFrame, FrameDecoder, FrameType } from './frames';

describe('ingest over TLS', () => {
  let h: IngestHarness | undefined;
  let dir = '';
  afterEach(async () => {
    await h?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('speaks the same protocol inside TLS when a key and certificate are configured', async () => {
    dir = mkdtempSync(join(tmpdir(), 'tapscope-tls-'));
    execFileSync('openssl', [
      'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '1',
      '-subj', '/CN=localhost', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'),
    ], { stdio: 'ignore' });
    const cert = readFileSync(join(dir, 'cert.pem'));
    h = await startIngestHarness({ ingest: { tls: { key: readFileSync(join(dir, 'key.pem')), cert } } });

    const hello = async (objectName: string) => {
      const socket = tls.connect({ host: '127.0.0.1', port: h!.port, ca: cert, servername: 'localhost' });
      await new Promise<void>((resolve, reject) => socket.once('secureConnect', resolve).once('error', reject));
      const decoder = new FrameDecoder(1 << 20);
      const answer = new Promise<{ type: number; body: Record<string, unknown> }>((resolve) =>
        socket.on('data', (chunk: Buffer) => {
          const [f] = decoder.push(chunk);
          if (f) resolve({ type: f.type, body: JSON.parse(f.body.toString('utf8')) as Record<string, unknown> });
        }),
      );
      socket.write(encodeFrame(FrameType.HELLO, { proto: 1, license: h!.license, objectName }));
      const a = await answer;
      socket.destroy();
      return a;
    };
    expect(await hello('tls-agent')).toMatchObject({ type: FrameType.WELCOME, body: { pcode: h.pcode, objectName: 'tls-agent' } });

    // Handshakes that fail (plain TCP bytes, a client refusing the certificate) cost only themselves.
    const raw = await FrameClient.connect(h.port);
    raw.send(FrameType.HELLO, { proto: 1, license: h.license, objectName: 'plain' });
    await raw.waitClosed();
    const distrustful = tls.connect({ host: '127.0.0.1', port: h.port, rejectUnauthorized: true });
    await new Promise((resolve) => distrustful.once('error', resolve));
    expect((await hello('tls-agent-2')).type).toBe(FrameType.WELCOME);
  });
});
