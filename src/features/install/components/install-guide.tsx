import { useState, type ReactNode } from 'react';
import { Link } from 'react-router';
import type { Region } from '../../../api/regions';
import { paths } from '../../../lib/paths';
import { CodeBlock } from '../../../components/code-block';
import { Field, TextInput } from '../../../components/form-field';
import { Tabs } from '../../../components/tabs';
import { useAgentPackage } from '../api/get-agent-package';
import {
  agentVenv,
  DEFAULT_AGENT_PATH,
  homeCommand,
  installCommand,
  LATEST_PACKAGE_PATH,
  paramsCommand,
  PARAM_LINES,
  serverPort,
  settingConfigCommand,
  startForms,
  type GuideInput,
} from '../lib/commands';
import './install-guide.css';

function Step({ n, title, children }: { n: number; title: string; children: ReactNode }) {
  return (
    <li className="guide-step">
      <span className="guide-step-n" aria-hidden="true">
        {n}
      </span>
      <div className="guide-step-body">
        <h3 className="guide-step-title">{title}</h3>
        {children}
      </div>
    </li>
  );
}

/**
 * Step by step install of the Python agent, filled in with the project's region and,
 * right after issue, the new license key. Every value is user text shown as text.
 */
export function InstallGuide({ pcode, licenseKey, region }: { pcode: string; licenseKey: string | null; region: Region | undefined }) {
  const [whatapHome, setWhatapHome] = useState('/opt/whatap');
  const [appName, setAppName] = useState('my-app');
  const [processName, setProcessName] = useState('gunicorn');
  const [agentPath, setAgentPath] = useState(DEFAULT_AGENT_PATH);
  const [form, setForm] = useState('gunicorn');

  const input: GuideInput = {
    licenseKey,
    ingest: region?.ingest ?? [],
    whatapHome: whatapHome.trim() || '/opt/whatap',
    appName: appName.trim() || 'my-app',
    processName: processName.trim() || 'gunicorn',
    agentPath: agentPath.trim() || DEFAULT_AGENT_PATH,
  };
  const port = serverPort(input);
  const agentPackage = useAgentPackage();
  const packageUrl = agentPackage.data?.url ?? new URL(LATEST_PACKAGE_PATH, window.location.origin).href;

  return (
    <div className="guide">
      <fieldset className="guide-inputs">
        <legend className="visually-hidden">Your setup</legend>
        <Field label="WHATAP_HOME" hint="A directory for whatap.conf and the agent’s logs.">
          {(p) => <TextInput {...p} className="input-mono" value={whatapHome} onChange={(e) => setWhatapHome(e.target.value)} />}
        </Field>
        <Field label="Application name" hint="app_name: names the agent in the console.">
          {(p) => <TextInput {...p} value={appName} onChange={(e) => setAppName(e.target.value)} />}
        </Field>
        <Field label="Process name" hint="app_process_name: gunicorn, uwsgi, uvicorn, celery, python…">
          {(p) => <TextInput {...p} value={processName} onChange={(e) => setProcessName(e.target.value)} />}
        </Field>
        <Field label="Path of whatap-start-agent" hint={<>Step 1 creates the virtualenv that holds it; supervisor and init scripts call it by this path.</>}>
          {(p) => <TextInput {...p} className="input-mono" value={agentPath} onChange={(e) => setAgentPath(e.target.value)} />}
        </Field>
      </fieldset>

      <ol className="guide-steps">
        <Step n={1} title="Install the agent package">
          <CodeBlock title="Shell" label="install command" code={installCommand(input, packageUrl)} />
          <p className="guide-note">
            {agentPackage.data ? (
              <>
                Installs agent version <strong data-testid="agent-version">{agentPackage.data.version}</strong> from this
                collector into the virtualenv <code>{agentVenv(input.agentPath)}</code>.
              </>
            ) : (
              <>Installs the collector&rsquo;s current agent into the virtualenv <code>{agentVenv(input.agentPath)}</code>.</>
            )}{' '}
            The app host needs Python 3.8 or later with the Debian packages <code>python3-venv</code>,{' '}
            <code>python3-setuptools</code> and <code>python3-wheel</code> (pip builds the package with them; the
            virtualenv sees them through <code>--system-site-packages</code>), and <code>python3-cryptography</code> to
            have parameters collected.
          </p>
          <p className="guide-note">
            <code>invalid command &apos;bdist_wheel&apos;</code> means the virtualenv&rsquo;s Python has no{' '}
            <code>wheel</code> package: install <code>python3-wheel</code> and create the virtualenv with{' '}
            <code>--system-site-packages</code> as above.
          </p>
        </Step>
        <Step n={2} title="Choose WHATAP_HOME">
          <CodeBlock title="Shell" label="WHATAP_HOME command" code={homeCommand(input)} />
          <p className="guide-note">The agent keeps its configuration, security key and logs there. Use one directory per application.</p>
        </Step>
        <Step n={3} title="Write whatap.conf">
          <CodeBlock title="Shell" label="whatap-setting-config command" code={settingConfigCommand(input)} />
          <p className="guide-note">
            {region ? (
              <>
                Agents connect to the <strong>{region.name}</strong> region at {region.ingest.join(', ')}.{' '}
                {port === null ? (
                  <>Port 6600 is the default <code>whatap.server.port</code>, so it is not set.</>
                ) : (
                  <>
                    This region listens on port {port}, not the default 6600, so <code>--port {port}</code>{' '}
                    sets <code>whatap.server.port</code>.
                  </>
                )}
              </>
            ) : (
              'Loading the region’s collector addresses…'
            )}
          </p>
          <p className="guide-note">
            To encrypt the link to the collector, give the collector a certificate (<code>ingest.tls</code> with{' '}
            <code>certFile</code> and <code>keyFile</code> in its config file) and add <code>whatap.server.tls=true</code>{' '}
            to <code>whatap.conf</code>.
          </p>
          {!licenseKey && (
            <p className="guide-note guide-note-warning">
              Issue a license key above and the command is filled in with it, or replace <code>&lt;your license key&gt;</code> with a key you have.
            </p>
          )}
        </Step>
        <Step n={4} title="Turn on parameter collection (optional)">
          <CodeBlock title="Shell" label="parameter collection command" code={paramsCommand()} />
          <p className="guide-note">
            Adds <code>{PARAM_LINES[0]}</code> and <code>{PARAM_LINES[1]}</code> to <code>whatap.conf</code>: the agent
            then sends HTTP query and form parameters and SQL bind values, encrypted with the security key in{' '}
            <code>$WHATAP_HOME/paramkey.txt</code>. Enter that key on a transaction&rsquo;s page to reveal them; keep
            it private.
          </p>
        </Step>
        <Step n={5} title="Start your app with the agent">
          <Tabs
            label="How your app is started"
            selected={form}
            onSelect={setForm}
            items={startForms(input).map((f) => ({
              id: f.id,
              label: f.label,
              content: (
                <>
                  <CodeBlock title={f.title} label={`${f.label} start command`} code={f.code} />
                  <p className="guide-note">{f.note}</p>
                </>
              ),
            }))}
          />
        </Step>
        <Step n={6} title="Check that it reports">
          <CodeBlock title="Shell" label="check command" code={'ps -ef | grep whatap_python\ncat "$WHATAP_HOME"/logs/whatap-boot-*.log'} />
          <p className="guide-note">
            Send a few requests to the app: the agent appears on the <Link to={paths.agents(pcode)}>Agents</Link> page
            within seconds, and its transactions on the <Link to={paths.hitmap(pcode)}>Hitmap</Link>. If not, the boot
            log says why (a wrong license or host is written there in plain words).
          </p>
        </Step>
      </ol>
    </div>
  );
}
