import { defineConfig } from '@playwright/test';
import { execFileSync } from 'node:child_process';

/**
 * Two projects:
 * - `mock`: the console on Vite + MSW (e2e/console/), no collector needed;
 * - `collector`: the built console served by a real collector that each spec file starts
 *   on free ports with a fresh data directory (e2e/fixtures/collector.ts). Run
 *   `npm run build` first: the collector serves `dist/`. It includes e2e/full-stack/: the
 *   Python agent installed with pip, real Flask/gunicorn and Django/uWSGI apps, nothing mocked.
 * Screenshots are saved by the specs to e2e/screenshots/ (gitignored).
 */
/**
 * A free loopback port for the mock project's Vite server, chosen once in the runner and passed
 * to the workers (which load this file again) through the environment.
 */
process.env.TAPSCOPE_E2E_MOCK_PORT ??= execFileSync(process.execPath, [
  '-e',
  "const s = require('net').createServer().listen(0, '127.0.0.1', () => { console.log(s.address().port); s.close(); })",
])
  .toString()
  .trim();
const MOCK_PORT = Number(process.env.TAPSCOPE_E2E_MOCK_PORT);

/** The Vite server is needed only when the mock project runs. */
function mockProjectSelected(argv: readonly string[]): boolean {
  const selected: string[] = [];
  argv.forEach((arg, i) => {
    if (arg === '--project' && argv[i + 1]) selected.push(argv[i + 1]!);
    else if (arg.startsWith('--project=')) selected.push(arg.slice('--project='.length));
  });
  return selected.length === 0 || selected.includes('mock');
}

export default defineConfig({
  testDir: 'e2e',
  workers: 1,
  fullyParallel: false,
  forbidOnly: !!process.env.CI,
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: [['list']],
  outputDir: 'test-results',
  use: {
    headless: true,
    viewport: { width: 1360, height: 860 },
    permissions: ['clipboard-read', 'clipboard-write'],
    launchOptions: {
      executablePath: '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-background-networking', '--disable-gpu', '--disable-dev-shm-usage'],
    },
    trace: 'off',
    screenshot: 'only-on-failure',
  },
  projects: [
    {
      name: 'mock',
      testDir: 'e2e/console',
      use: { baseURL: `http://127.0.0.1:${MOCK_PORT}` },
    },
    {
      name: 'collector',
      testDir: 'e2e',
      testMatch: ['collector/**/*.spec.ts', 'full-stack/**/*.spec.ts'],
    },
  ],
  webServer: mockProjectSelected(process.argv)
    ? {
        command: `npx vite --mode mock --port ${MOCK_PORT} --strictPort`,
        url: `http://127.0.0.1:${MOCK_PORT}`,
        reuseExistingServer: false,
        timeout: 120_000,
        stdout: 'ignore',
        stderr: 'pipe',
      }
    : undefined,
});
