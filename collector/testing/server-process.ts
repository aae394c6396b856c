import { type ChildProcess, spawn, type SpawnOptions } from 'node:child_process';
import { chownSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Helpers for tests that run a real database server (PostgreSQL, ClickHouse) on 127.0.0.1
 * in a temporary directory. Database servers refuse to run as root, and CI runs as root:
 * then the server runs as the Debian package's system user (`postgres`, `clickhouse`),
 * which also owns the temporary directory.
 */

export interface ServiceUser {
  uid: number;
  gid: number;
  name: string;
  home: string;
}

/** The account to run a server as: null when not root (run as ourselves). Throws when root and the user is missing. */
export function serviceUser(name: string): ServiceUser | null {
  if (process.getuid?.() !== 0) return null;
  const line = readFileSync('/etc/passwd', 'utf8')
    .split('\n')
    .find((l) => l.startsWith(`${name}:`));
  if (!line) throw new Error(`running as root, but there is no "${name}" system user to run the server as`);
  const [, , uid, gid, , home] = line.split(':');
  return { name, uid: Number(uid), gid: Number(gid), home: home ?? '/' };
}

/** A temp directory the server's user can write. */
export function serverDir(prefix: string, user: ServiceUser | null): { dir: string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  if (user) chownSync(dir, user.uid, user.gid);
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** A port that was free a moment ago (bind to 0, read, release). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const address = s.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      s.close(() => resolve(port));
    });
  });
}

/** Spawns a command as the service user (or ourselves), output kept for error messages. */
export function spawnAs(user: ServiceUser | null, cmd: string, args: string[], opts: SpawnOptions = {}): ChildProcess & { output(): string } {
  const child = spawn(cmd, args, {
    stdio: ['ignore', 'pipe', 'pipe'],
    ...opts,
    ...(user ? { uid: user.uid, gid: user.gid, env: { ...process.env, HOME: user.home, USER: user.name, ...opts.env } } : {}),
  });
  let out = '';
  const keep = (chunk: Buffer) => {
    out = (out + chunk.toString('utf8')).slice(-8000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  // Should the test process die without its afterAll, do not leave a server behind.
  const onExit = () => child.kill('SIGKILL');
  process.once('exit', onExit);
  child.once('exit', () => process.off('exit', onExit));
  return Object.assign(child, { output: () => out });
}

/** Runs a command to completion; rejects with its output when it fails. */
export async function runAs(user: ServiceUser | null, cmd: string, args: string[], opts: SpawnOptions = {}): Promise<void> {
  const child = spawnAs(user, cmd, args, opts);
  const code = await new Promise<number | null>((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (c) => resolve(c));
  });
  if (code !== 0) throw new Error(`${cmd} ${args.join(' ')} exited with ${code}: ${child.output()}`);
}

/** Polls `check` until it resolves true; rejects after `ms` (or when the process died) with `what`. */
export async function waitUntil(
  what: string,
  check: () => Promise<boolean>,
  opts: { ms?: number; process?: ChildProcess & { output(): string } } = {},
): Promise<void> {
  const deadline = Date.now() + (opts.ms ?? 30_000);
  for (;;) {
    if (opts.process && opts.process.exitCode !== null)
      throw new Error(`${what}: the server exited (${opts.process.exitCode}): ${opts.process.output()}`);
    if (await check().catch(() => false)) return;
    if (Date.now() > deadline) throw new Error(`${what}: timed out. ${opts.process?.output() ?? ''}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Stops a server: `signal`, then SIGKILL if it has not exited within `ms`. */
export async function stopProcess(child: ChildProcess, signal: NodeJS.Signals, ms = 10_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill(signal);
  const timer = setTimeout(() => child.kill('SIGKILL'), ms);
  await exited;
  clearTimeout(timer);
}
