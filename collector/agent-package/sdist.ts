import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { tarGz, type TarEntry } from './tar';

export const DISTRIBUTION = 'whatap-python';
/** The checkout's agent/ folder, the package's source. */
export const DEFAULT_AGENT_DIR = fileURLToPath(new URL('../../agent', import.meta.url));

export interface AgentPackage {
  version: string;
  /** e.g. whatap-python-0.1.0.tar.gz */
  fileName: string;
  tarball: Buffer;
}

/** The agent's version, from the one place it is written (agent/src/whatap/version.py). */
export function readAgentVersion(agentDir = DEFAULT_AGENT_DIR): string {
  const text = readFileSync(join(agentDir, 'src', 'whatap', 'version.py'), 'utf8');
  const m = /^__version__\s*=\s*["']([0-9A-Za-z.+-]+)["']/m.exec(text);
  if (!m) throw new Error(`no __version__ in ${join(agentDir, 'src', 'whatap', 'version.py')}`);
  return m[1]!;
}

/** Every file of the package: sources and package data, no caches or build leftovers. */
function packageFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    if (entry.name === '__pycache__' || entry.name.endsWith('.pyc') || entry.name.startsWith('.')) continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...packageFiles(path));
    else if (entry.isFile()) out.push(path);
  }
  return out;
}

/** Core metadata (PKG-INFO) that pip and setuptools expect at the top of an sdist. */
function pkgInfo(version: string, readme: string): string {
  return [
    'Metadata-Version: 2.1',
    `Name: ${DISTRIBUTION}`,
    `Version: ${version}`,
    'Summary: Tapscope agent for Python web applications (drop-in for the WhaTap Python agent commands)',
    'License: Apache-2.0',
    'Requires-Python: >=3.8',
    'Provides-Extra: params',
    'Requires-Dist: cryptography; extra == "params"',
    'Description-Content-Type: text/markdown',
    '',
    readme,
  ].join('\n');
}

/**
 * Builds the agent's sdist (`whatap-python-<version>.tar.gz`) in memory from agent/: pyproject.toml,
 * README.md, src/whatap/** and a PKG-INFO. pip builds it with setuptools (see docs/agent.md).
 */
export function buildAgentSdist(agentDir = DEFAULT_AGENT_DIR): AgentPackage {
  const version = readAgentVersion(agentDir);
  const root = `${DISTRIBUTION}-${version}`;
  const entry = (path: string): TarEntry => ({
    name: `${root}/${relative(agentDir, path).split(sep).join('/')}`,
    data: readFileSync(path),
    mtime: statSync(path).mtimeMs / 1000,
  });
  const readme = readFileSync(join(agentDir, 'README.md'), 'utf8');
  const top = [join(agentDir, 'pyproject.toml'), join(agentDir, 'README.md')];
  const entries: TarEntry[] = [
    { name: `${root}/PKG-INFO`, data: Buffer.from(pkgInfo(version, readme)), mtime: statSync(top[0]!).mtimeMs / 1000 },
    ...top.map(entry),
    ...packageFiles(join(agentDir, 'src', 'whatap')).map(entry),
  ];
  return { version, fileName: `${root}.tar.gz`, tarball: tarGz(entries) };
}
