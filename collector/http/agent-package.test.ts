import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { agentPackagePath, agentPackageSchema } from '../../src/api/agent-package';
import { readAgentVersion } from '../agent-package/sdist';
import { startTestCollector, type TestCollector } from '../testing/test-collector';

let c: TestCollector;
let tmp: string;
const version = readAgentVersion();
// pip downloads from this process's server: a synchronous child would block it.
const run = promisify(execFile);

beforeAll(async () => {
  c = await startTestCollector();
  tmp = mkdtempSync(join(tmpdir(), 'tapscope-agent-pkg-'));
});
afterAll(async () => {
  await c?.close();
  rmSync(tmp, { recursive: true, force: true });
});

/** The archive's member names, read by Python's tarfile as pip reads it. */
function listTar(file: string): string[] {
  const out = execFileSync('/usr/bin/python3', ['-c', 'import sys,tarfile;print("\\n".join(tarfile.open(sys.argv[1]).getnames()))', file]);
  return out.toString().trim().split('\n');
}

describe('the agent package', () => {
  it('is served without sign-in at the versioned and the current URL, as gzip', async () => {
    for (const path of [`/agent/whatap-python-${version}.tar.gz`, '/agent/whatap-python.tar.gz']) {
      const res = await fetch(c.url + path);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('application/gzip');
      expect(res.headers.get('content-disposition')).toContain(`whatap-python-${version}.tar.gz`);
      const file = join(tmp, 'pkg.tar.gz');
      writeFileSync(file, Buffer.from(await res.arrayBuffer()));
      const names = listTar(file);
      const root = `whatap-python-${version}`;
      expect(names).toEqual(
        expect.arrayContaining([
          `${root}/PKG-INFO`,
          `${root}/pyproject.toml`,
          `${root}/README.md`,
          `${root}/src/whatap/__init__.py`,
          `${root}/src/whatap/version.py`,
          `${root}/src/whatap/cli/setting_config.py`,
        ]),
      );
      expect(names.some((n) => n.includes('__pycache__') || n.includes('egg-info'))).toBe(false);
    }
  });

  it('answers 404 for another version and tells the version and URL to the console without sign-in', async () => {
    expect((await fetch(`${c.url}/agent/whatap-python-0.0.0-old.tar.gz`)).status).toBe(404);
    const res = await fetch(c.url + agentPackagePath);
    expect(res.status).toBe(200);
    expect(agentPackageSchema.parse(await res.json())).toEqual({
      version,
      url: `/agent/whatap-python-${version}.tar.gz`,
      latestUrl: '/agent/whatap-python.tar.gz',
    });
  });

  it('installs with pip from its URL into a fresh virtualenv (no index, Debian setuptools)', async () => {
    const venv = join(tmp, 'venv');
    await run('/usr/bin/python3', ['-m', 'venv', '--system-site-packages', venv]);
    const url = `${c.url}/agent/whatap-python-${version}.tar.gz`;
    await run(join(venv, 'bin', 'pip'), ['install', '-q', '--disable-pip-version-check', '--no-build-isolation', '--no-index', url], { cwd: tmp });
    const imported = await run(join(venv, 'bin', 'python'), ['-c', 'import whatap.version as v; print(v.__version__)'], { cwd: tmp });
    expect(imported.stdout.trim()).toBe(version);
    const help = await run(join(venv, 'bin', 'whatap-setting-config'), ['--help'], { cwd: tmp });
    expect(help.stdout).toContain('--port');
  }, 180_000);
});
