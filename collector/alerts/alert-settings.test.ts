import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseRepeatSchedule, repeatScheduleSchema } from '../../src/api/alerts';
import { ConfigError, loadConfig } from '../config';
import { makeDataDir } from '../testing/test-collector';
import { consoleUrlOf } from './alert-service';
import { nextDelayMs } from './scope-step';

const cleanups: Array<() => void> = [];
afterEach(() => cleanups.splice(0).forEach((f) => f()));

function withFile(content: unknown): string {
  const { dataDir, remove } = makeDataDir();
  cleanups.push(remove);
  const file = join(dataDir, 'tapscope.json');
  writeFileSync(file, JSON.stringify(content));
  return file;
}

function configError(env: NodeJS.ProcessEnv): string {
  try {
    loadConfig(env);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as Error).message;
  }
  throw new Error('expected a ConfigError');
}

describe('repeat schedule', () => {
  it('parses delays and says when the next notification is due', () => {
    expect(parseRepeatSchedule('0,1H,1D')).toEqual([0, 3600, 86400]);
    expect([0, 1, 2, 3, 4].map((n) => nextDelayMs('0,1H,1D', n))).toEqual([0, 3_600_000, 86_400_000, 86_400_000, 86_400_000]);
    expect([0, 1].map((n) => nextDelayMs('0', n))).toEqual([0, null]);
    expect([0, 1, 2].map((n) => nextDelayMs('5m', n))).toEqual([300_000, 300_000, 300_000]);
    expect([0, 1, 2].map((n) => nextDelayMs('0,30m,0', n))).toEqual([0, 1_800_000, null]);
    for (const bad of ['', '1h', 'every day', '0,,1H', '-5m', '1.5H', '01m'])
      expect(repeatScheduleSchema.safeParse(bad).success, bad).toBe(false);
  });
});

describe('alerts settings', () => {
  it('has defaults, reads SMTP from the environment, and never repeats the password in an error', () => {
    const { dataDir, remove } = makeDataDir();
    cleanups.push(remove);
    const config = loadConfig({
      TAPSCOPE_DATA_DIR: dataDir,
      TAPSCOPE_SMTP_HOST: 'smtp.example.com',
      TAPSCOPE_SMTP_PORT: '465',
      TAPSCOPE_SMTP_SECURITY: 'tls',
      TAPSCOPE_SMTP_USERNAME: 'tapscope',
      TAPSCOPE_SMTP_PASSWORD: 'hunter2-hunter2',
      TAPSCOPE_SMTP_FROM: 'tapscope@example.com',
      TAPSCOPE_ALERTS_EVALUATE_MS: '2000',
    });
    expect(config.alerts).toMatchObject({
      evaluateEveryMs: 2000,
      leaseMs: 15_000,
      smtp: { host: 'smtp.example.com', port: 465, security: 'tls', username: 'tapscope', password: 'hunter2-hunter2', verifyCertificate: true },
    });
    expect(consoleUrlOf(config)).toBe('http://127.0.0.1:8080');
    expect(consoleUrlOf({ ...config, alerts: { ...config.alerts, consoleUrl: 'https://apm.example.com' } })).toBe('https://apm.example.com');

    expect(configError({ TAPSCOPE_SMTP_HOST: 'smtp.example.com' })).toMatch(/alerts\.smtp\.from.*is required/);
    expect(configError({ TAPSCOPE_SMTP_HOST: 'h', TAPSCOPE_SMTP_FROM: 'a@example.com', TAPSCOPE_SMTP_SECURITY: 'ssl' })).toBe(
      'TAPSCOPE_SMTP_SECURITY="ssl" must be "starttls", "tls" or "none"',
    );
    const file = withFile({ alerts: { smtp: { host: 'h', from: 'a@example.com', password: 12345678 } } });
    const message = configError({ TAPSCOPE_CONFIG: file });
    expect(message).toContain('"alerts.smtp.password" = "***"');
    expect(message).not.toContain('12345678');
    expect(configError({ TAPSCOPE_CONFIG: withFile({ alerts: { evaluateEvery: 5000 } }) })).toMatch(/unknown setting "alerts.evaluateEvery"/);
  });
});
