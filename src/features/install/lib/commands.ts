/**
 * The install guide's commands, built as plain text from the user's inputs. The agent
 * is a drop-in for WhaTap's: `whatap-setting-config` writes whatap.conf and
 * `whatap-start-agent` wraps the app's start command.
 */
export const KEY_PLACEHOLDER = '<your license key>';
export const DEFAULT_SERVER_PORT = 6600;
/** Where step 1 installs the agent (as docs/agent.md does); supervisor and init scripts call it there. */
export const AGENT_VENV = '/opt/whatap-venv';
export const DEFAULT_AGENT_PATH = `${AGENT_VENV}/bin/whatap-start-agent`;

/** The venv that holds whatap-start-agent at `agentPath` (…/venv/bin/whatap-start-agent), else the default. */
export function agentVenv(agentPath: string): string {
  const m = /^(\/.+)\/bin\/whatap-start-agent$/.exec(agentPath);
  return m ? m[1]! : AGENT_VENV;
}

/** The agent package's URL on the collector while its version is not known: always the current one. */
export const LATEST_PACKAGE_PATH = '/agent/whatap-python.tar.gz';

/**
 * Step 1: the agent from the collector's URL into a virtualenv that sees the system's packages
 * (setuptools and wheel to build it, python3-cryptography for parameters). A bare `pip install`
 * is refused by Debian's Python (PEP 668), and no package index is needed; the PATH line makes
 * the whatap-* commands of the next steps found.
 */
export function installCommand(input: Pick<GuideInput, 'agentPath'>, packageUrl: string): string {
  const raw = agentVenv(input.agentPath);
  const venv = shellQuote(raw);
  return [
    `python3 -m venv --system-site-packages ${venv}`,
    `${venv}/bin/pip install --no-build-isolation --no-index ${shellQuote(packageUrl)}`,
    venv === raw ? `export PATH="${raw}/bin:$PATH"` : `export PATH=${venv}/bin:"$PATH"`,
  ].join('\n');
}

/** The whatap.conf lines that turn parameter collection on (HTTP query/form and SQL bind values). */
export const PARAM_LINES = ['profile_http_parameter_enabled=true', 'profile_sql_param_enabled=true'] as const;

/** Step 4: adds the parameter lines to whatap.conf once (running the guide twice adds nothing). */
export function paramsCommand(): string {
  return [
    `for line in ${PARAM_LINES.join(' ')}; do`,
    '  grep -qxF "$line" "$WHATAP_HOME/whatap.conf" || echo "$line" >> "$WHATAP_HOME/whatap.conf"',
    'done',
  ].join('\n');
}

export interface GuideInput {
  /** The full key right after issue; null shows the placeholder. */
  licenseKey: string | null;
  /** The region's ingest addresses, `host:port`, in failover order. */
  ingest: readonly string[];
  whatapHome: string;
  appName: string;
  processName: string;
  /** Absolute path of whatap-start-agent, for supervisor and init scripts. */
  agentPath: string;
}

/** Splits `host:port` (or `[v6]:port`); a missing port is the default 6600. */
export function splitHostPort(address: string): { host: string; port: number } {
  const v6 = /^\[([^\]]+)\](?::(\d+))?$/.exec(address);
  if (v6) return { host: v6[1]!, port: v6[2] ? Number(v6[2]) : DEFAULT_SERVER_PORT };
  const i = address.lastIndexOf(':');
  if (i > 0 && /^\d+$/.test(address.slice(i + 1))) {
    return { host: address.slice(0, i), port: Number(address.slice(i + 1)) };
  }
  return { host: address, port: DEFAULT_SERVER_PORT };
}

/** Quotes a value for a POSIX shell only when it needs it. */
export function shellQuote(value: string): string {
  if (value === '') return "''";
  if (/^[A-Za-z0-9_\-./:=@%+,]+$/.test(value)) return value;
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

function keyArg(input: GuideInput): string {
  return input.licenseKey ? shellQuote(input.licenseKey) : KEY_PLACEHOLDER;
}

export function hostList(input: GuideInput): string {
  const hosts = [...new Set(input.ingest.map((a) => splitHostPort(a).host))];
  return hosts.join(',');
}

/** The port agents must use when the region does not listen on 6600, else null. */
export function serverPort(input: GuideInput): number | null {
  const first = input.ingest[0];
  if (!first) return null;
  const port = splitHostPort(first).port;
  return port === DEFAULT_SERVER_PORT ? null : port;
}

export function homeCommand(input: GuideInput): string {
  return `mkdir -p ${shellQuote(input.whatapHome)}\nexport WHATAP_HOME=${shellQuote(input.whatapHome)}`;
}

export function settingConfigCommand(input: GuideInput): string {
  const lines = [
    'whatap-setting-config \\',
    `  --host ${shellQuote(hostList(input))} \\`,
    `  --license ${keyArg(input)} \\`,
    `  --app_name ${shellQuote(input.appName)} \\`,
    `  --app_process_name ${shellQuote(input.processName)}`,
  ];
  const port = serverPort(input);
  if (port !== null) lines.push(`  --port ${port}`);
  // Every line but the last continues the command.
  return lines.map((l, i) => (i < lines.length - 1 && !l.endsWith('\\') ? `${l} \\` : l)).join('\n');
}

export const UVICORN_COMMAND = 'uvicorn main:app --host 0.0.0.0 --port 8000 --workers 4';
export const GUNICORN_UVICORN_COMMAND = 'gunicorn -k uvicorn.workers.UvicornWorker -w 4 -b 0.0.0.0:8000 main:app';
export const CELERY_COMMAND = 'celery -A proj worker --loglevel=INFO';

/** The app's own start command, as the user would type it without the agent. */
function appCommand(input: GuideInput): string {
  switch (input.processName.trim().toLowerCase()) {
    case 'uwsgi':
      return `uwsgi --ini /etc/uwsgi/${programName(input)}.ini`;
    case 'uvicorn':
      return UVICORN_COMMAND;
    case 'celery':
      return CELERY_COMMAND;
    default:
      return 'gunicorn app:app --bind 0.0.0.0:8000 --workers 4';
  }
}

function programName(input: GuideInput): string {
  return input.appName.replace(/[^A-Za-z0-9_-]+/g, '-').replace(/^-+|-+$/g, '') || 'my-app';
}

export interface StartForm {
  id: string;
  label: string;
  /** Where the text goes: a shell, or a config file. */
  title: string;
  code: string;
  note: string;
}

export function startForms(input: GuideInput): StartForm[] {
  const home = shellQuote(input.whatapHome);
  const agent = shellQuote(input.agentPath);
  const app = appCommand(input);
  return [
    {
      id: 'gunicorn',
      label: 'Gunicorn',
      title: 'Shell',
      code: 'whatap-start-agent gunicorn app:app --bind 0.0.0.0:8000 --workers 4',
      note: 'Put whatap-start-agent in front of your usual command. Replace app:app with your WSGI module (for Django, myproject.wsgi).',
    },
    {
      id: 'uwsgi',
      label: 'uWSGI',
      title: 'Shell',
      code: 'whatap-start-agent uwsgi --ini myapp.ini',
      note: 'Keep your uWSGI options as they are; the agent wraps the uwsgi command.',
    },
    {
      id: 'uvicorn',
      label: 'Uvicorn',
      title: 'Shell',
      code: `whatap-start-agent ${UVICORN_COMMAND}`,
      note:
        'FastAPI, Starlette or any ASGI app: every HTTP request is a transaction, named by its route in FastAPI and Starlette (/items/{item_id}). ' +
        'Replace main:app with your ASGI module and app; each worker reports on its own. Set app_process_name to uvicorn.',
    },
    {
      id: 'gunicorn-uvicorn',
      label: 'Gunicorn + Uvicorn workers',
      title: 'Shell',
      code: `whatap-start-agent ${GUNICORN_UVICORN_COMMAND}`,
      note: 'Gunicorn managing Uvicorn workers for an ASGI app (FastAPI, Starlette): the same tracing as under uvicorn.',
    },
    {
      id: 'celery',
      label: 'Celery',
      title: 'Shell',
      code: `whatap-start-agent ${CELERY_COMMAND}`,
      note:
        'Each task a worker runs is a transaction named by the task, with its SQL and HTTP-call steps. ' +
        'Replace proj with your Celery app module; use a WHATAP_HOME and app_name of its own (app_process_name celery).',
    },
    {
      id: 'django',
      label: 'Django runserver',
      title: 'Shell',
      code: 'whatap-start-agent python manage.py runserver 0.0.0.0:8000',
      note: 'For development servers; in production prefer gunicorn or uWSGI.',
    },
    {
      id: 'supervisor',
      label: 'Supervisor',
      title: `/etc/supervisor/conf.d/${programName(input)}.conf`,
      code: [
        `[program:${programName(input)}]`,
        `environment=WHATAP_HOME="${input.whatapHome.replace(/"/g, '\\"')}"`,
        `command=${agent} ${app}`,
        'autostart=true',
        'autorestart=true',
      ].join('\n'),
      note: 'Supervisor does not read your shell profile: give WHATAP_HOME and the absolute path of whatap-start-agent.',
    },
    {
      id: 'init',
      label: 'Init script',
      title: `/etc/init.d/${programName(input)}`,
      code: [
        '# In the start function of the init script (for an Upstart job, prefix it with exec):',
        `env WHATAP_HOME=${home} ${agent} ${app}`,
      ].join('\n'),
      note: 'Init scripts run with a bare environment: set WHATAP_HOME on the line and call whatap-start-agent by its absolute path.',
    },
  ];
}
