import { describe, expect, it } from 'vitest';
import { agentVenv, DEFAULT_AGENT_PATH, installCommand, KEY_PLACEHOLDER, paramsCommand, settingConfigCommand, shellQuote, splitHostPort, startForms, type GuideInput } from './commands';

const input: GuideInput = {
  licenseKey: null,
  ingest: ['127.0.0.1:6600', 'collector-b.internal:6600'],
  whatapHome: '/opt/whatap',
  appName: 'my-app',
  processName: 'gunicorn',
  agentPath: '/usr/local/bin/whatap-start-agent',
};

describe('install commands', () => {
  it('lists ingest hosts without ports and shows the key placeholder before issue', () => {
    const cmd = settingConfigCommand(input);
    expect(cmd).toContain('--host 127.0.0.1,collector-b.internal');
    expect(cmd).toContain(`--license ${KEY_PLACEHOLDER}`);
    expect(cmd).not.toContain('whatap.server.port');
  });

  it('sets a port other than 6600 with whatap-setting-config --port, not by appending to whatap.conf', () => {
    const cmd = settingConfigCommand({ ...input, licenseKey: 'tsl_demoshop_ABC', ingest: ['ingest.example:7700'] });
    expect(cmd).toContain('--license tsl_demoshop_ABC');
    expect(cmd.split('\n').slice(-2)).toEqual(['  --app_process_name gunicorn \\', '  --port 7700']);
    expect(cmd).not.toContain('>>');
  });

  it('installs the agent from the collector URL into the virtualenv of the whatap-start-agent path', () => {
    const url = 'http://tapscope.example:8080/agent/whatap-python-0.1.0.tar.gz';
    expect(installCommand({ agentPath: DEFAULT_AGENT_PATH }, url).split('\n')).toEqual([
      'python3 -m venv --system-site-packages /opt/whatap-venv',
      `/opt/whatap-venv/bin/pip install --no-build-isolation --no-index ${url}`,
      'export PATH="/opt/whatap-venv/bin:$PATH"',
    ]);
    expect(DEFAULT_AGENT_PATH).toBe('/opt/whatap-venv/bin/whatap-start-agent');
    expect(installCommand({ agentPath: '/srv/shop/venv/bin/whatap-start-agent' }, url)).toContain(
      'python3 -m venv --system-site-packages /srv/shop/venv\n/srv/shop/venv/bin/pip install',
    );
    // A path that is not <venv>/bin/whatap-start-agent keeps the default virtualenv.
    expect(agentVenv('/usr/local/bin/whatap')).toBe('/opt/whatap-venv');
  });

  it('turns parameter collection on once, however often it is run', () => {
    const cmd = paramsCommand();
    expect(cmd).toContain('profile_http_parameter_enabled=true profile_sql_param_enabled=true');
    expect(cmd).toContain('grep -qxF "$line" "$WHATAP_HOME/whatap.conf" || echo "$line" >> "$WHATAP_HOME/whatap.conf"');
  });

  it('splits IPv6 and bare hosts', () => {
    expect(splitHostPort('[::1]:6601')).toEqual({ host: '::1', port: 6601 });
    expect(splitHostPort('collector')).toEqual({ host: 'collector', port: 6600 });
  });

  it('quotes values with spaces or shell characters', () => {
    expect(shellQuote('/opt/whatap')).toBe('/opt/whatap');
    expect(shellQuote('/srv/my app')).toBe("'/srv/my app'");
    expect(shellQuote("it's; rm -rf")).toBe(`'it'\\''s; rm -rf'`);
  });

  it('builds supervisor and init forms with WHATAP_HOME and the absolute agent path', () => {
    const forms = startForms({ ...input, whatapHome: '/srv/whatap', processName: 'uwsgi' });
    const supervisor = forms.find((f) => f.id === 'supervisor')!.code;
    expect(supervisor).toContain('[program:my-app]');
    expect(supervisor).toContain('environment=WHATAP_HOME="/srv/whatap"');
    expect(supervisor).toContain('command=/usr/local/bin/whatap-start-agent uwsgi --ini /etc/uwsgi/my-app.ini');
    const init = forms.find((f) => f.id === 'init')!.code;
    expect(init).toContain('env WHATAP_HOME=/srv/whatap /usr/local/bin/whatap-start-agent uwsgi');
  });

  it('has tabs for uvicorn, gunicorn with uvicorn workers and Celery, and uses them in supervisor and init forms', () => {
    const forms = startForms(input);
    const code = (id: string) => forms.find((f) => f.id === id)!.code;
    expect(code('uvicorn')).toBe('whatap-start-agent uvicorn main:app --host 0.0.0.0 --port 8000 --workers 4');
    expect(code('gunicorn-uvicorn')).toBe('whatap-start-agent gunicorn -k uvicorn.workers.UvicornWorker -w 4 -b 0.0.0.0:8000 main:app');
    expect(code('celery')).toBe('whatap-start-agent celery -A proj worker --loglevel=INFO');
    expect(startForms({ ...input, processName: 'uvicorn' }).find((f) => f.id === 'supervisor')!.code).toContain(
      'command=/usr/local/bin/whatap-start-agent uvicorn main:app',
    );
    expect(startForms({ ...input, processName: 'Celery' }).find((f) => f.id === 'init')!.code).toContain(
      '/usr/local/bin/whatap-start-agent celery -A proj worker',
    );
  });
});
