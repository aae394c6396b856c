import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateLicenseKey, generatePcode, parseLicenseKey, secretMatches } from '../licenses/license-key';
import type { LicenseStore, ProjectRow, ProjectStore, UserStore } from '../store/meta-store';
import { DemoAgent } from './demo-agent';

/** The demo agents' paramkey: type it in the console to reveal the demo's parameters. */
export const DEMO_PARAMKEY = 'DEMO2SECURITYKEY7ABC';
export const DEMO_PROJECT = 'Demo shop';

export interface DemoOptions {
  ingestPort: number;
  /** Where the agents connect; default 127.0.0.1. */
  ingestHost?: string;
  httpUrl?: string;
  httpPort?: number;
  /** The collector's one-time setup token, repeated in the "create the admin" hint. */
  setupToken?: string;
  dataDir: string;
  meta: UserStore & ProjectStore & LicenseStore;
  config?: { regions?: Array<{ id: string }> };
  /** Lines for the terminal; default console.log. */
  print?: (line: string) => void;
  /** How often to look for the first user while none exists, ms. */
  waitForAdminMs?: number;
  backfillMinutes?: number;
}

export interface Demo {
  stop(): Promise<void>;
}

const AGENTS = [
  { objectName: 'shop-0-11-gunicorn', processName: 'gunicorn', hostname: 'web-1', ip: '10.0.0.11', pid: 4101, tps: 9 },
  { objectName: 'shop-0-12-gunicorn', processName: 'gunicorn', hostname: 'web-2', ip: '10.0.0.12', pid: 4201, tps: 8 },
  { objectName: 'shop-0-13-uwsgi', processName: 'uwsgi', hostname: 'web-3', ip: '10.0.0.13', pid: 5101, tps: 5 },
  { objectName: 'shop-0-14-uwsgi', processName: 'uwsgi', hostname: 'web-4', ip: '10.0.0.14', pid: 5201, tps: 3 },
];

/** The project "Demo shop", created for the first user (the admin) if it does not exist. */
async function ensureProject(o: DemoOptions): Promise<ProjectRow> {
  const existing = await o.meta.findProjectByName(DEMO_PROJECT);
  if (existing) return existing;
  const [owner] = (await o.meta.listUsers()).sort((a, b) => a.id - b.id);
  return o.meta.createProject(
    {
      pcode: generatePcode(),
      name: DEMO_PROJECT,
      region: o.config?.regions?.[0]?.id ?? 'local',
      group: 'Demo',
      timezone: 'UTC',
      createdAt: Date.now(),
    },
    owner!.id,
  );
}

/**
 * The demo's license key, kept in `<dataDir>/demo-license.txt` (mode 0600) so restarts reuse
 * it; a new one is issued when that key is missing, revoked or of another project.
 */
async function ensureLicense(o: DemoOptions, project: ProjectRow): Promise<string> {
  const file = join(o.dataDir, 'demo-license.txt');
  let key = '';
  try {
    key = readFileSync(file, 'utf8').trim();
  } catch {
    key = '';
  }
  const parsed = parseLicenseKey(key);
  if (parsed && parsed.pcode === project.pcode) {
    const row = await o.meta.getLicenseByLookup(parsed.lookup);
    if (row && row.revokedAt === null && secretMatches(parsed.secret, row.secretHash)) return key;
  }
  const fresh = generateLicenseKey(project.pcode);
  await o.meta.createLicense({
    pcode: project.pcode,
    lookup: fresh.lookup,
    secretHash: fresh.secretHash,
    label: 'demo agents',
    createdAt: Date.now(),
    createdBy: 'demo',
  });
  writeFileSync(file, `${fresh.key}\n`, { mode: 0o600 });
  return fresh.key;
}

/**
 * `--demo`: once the admin exists, creates the project "Demo shop" with a license and runs
 * four synthetic agents that speak the real protocol to the ingest port — several URLs, SQL
 * with encrypted bind values, HTTP calls, errors, slow outliers, counters and heartbeats.
 * Resolves right away; stop() ends the agents.
 */
export async function startDemo(o: DemoOptions): Promise<Demo> {
  const print = o.print ?? ((line: string) => console.log(line));
  const agents: DemoAgent[] = [];
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;

  const run = async () => {
    if (stopped) return;
    if ((await o.meta.countUsers()) === 0) {
      if (!timer) {
        const where = o.httpUrl ?? `http://127.0.0.1:${o.httpPort ?? 8080}`;
        const token = o.setupToken ? ` with the setup token ${o.setupToken}` : '';
        print(`tapscope demo: create the admin account at ${where}${token} — the demo starts as soon as it exists`);
      }
      timer = setTimeout(() => void run().catch(report), o.waitForAdminMs ?? 2000);
      return;
    }
    const project = await ensureProject(o);
    const license = await ensureLicense(o, project);
    print(`tapscope demo: project "${project.name}" (${project.pcode}) with 4 agents sending to port ${o.ingestPort}`);
    print(`demo security key: ${DEMO_PARAMKEY}`);
    for (const [i, a] of AGENTS.entries()) {
      if (stopped) return;
      const agent = new DemoAgent({
        host: o.ingestHost ?? '127.0.0.1',
        port: o.ingestPort,
        license,
        paramkey: DEMO_PARAMKEY,
        hello: { ...a, appName: 'shop', agentVersion: '0.1.0-demo', pythonVersion: '3.11.2' },
        tps: a.tps,
        seed: 1000 + i,
        backfillMinutes: o.backfillMinutes ?? 30,
        log: (msg) => print(`tapscope demo: ${msg}`),
      });
      agents.push(agent);
      void agent.start().catch(report);
    }
  };
  const report = (err: unknown) => print(`tapscope demo: ${(err as Error).message}`);

  await run();
  return {
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      for (const a of agents) a.stop();
    },
  };
}
