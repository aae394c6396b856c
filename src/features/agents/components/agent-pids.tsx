/** App pids listed in the cell before "+N more" (all of them are in the tooltip). */
const SHOWN = 4;

/**
 * The agent process's pid and its app processes' (gunicorn's or uWSGI's workers), which are
 * the pids a user looks for in `ps`: "agent 4101" over "app 4110, 4111, 4112".
 */
export function AgentPids({ agentPid, appPids }: { agentPid: number; appPids: readonly number[] }) {
  const shown = appPids.slice(0, SHOWN).join(', ');
  const more = appPids.length - SHOWN;
  return (
    <>
      <span title="The agent process (whatap_python)">agent {agentPid}</span>
      {appPids.length > 0 && (
        <span className="cell-sub" title={`App processes: ${appPids.join(', ')}`}>
          app {shown}
          {more > 0 ? ` +${more} more` : ''}
        </span>
      )}
    </>
  );
}
