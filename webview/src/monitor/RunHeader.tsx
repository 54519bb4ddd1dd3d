// Title line of the monitor: which run, where, in what state, and the actions that make sense now.
import { VscodeBadge, VscodeButton } from '@vscode-elements/react-elements';
import type { MonitorAction, MonitorRun } from '../../../src/shared/monitorProtocol';

const STATE_ICON: Record<MonitorRun['state'], string> = {
  starting: 'loading codicon-modifier-spin',
  running: 'sync codicon-modifier-spin',
  completed: 'pass',
  failed: 'error',
  cancelled: 'circle-slash',
};

export function RunHeader(props: { run: MonitorRun | null; busy: Set<MonitorAction>; onAction: (action: MonitorAction) => void }) {
  const { run, busy, onAction } = props;
  const button = (action: MonitorAction, label: string, icon: string, enabled: boolean, secondary: boolean) => (
    <VscodeButton
      icon={icon}
      secondary={secondary}
      disabled={!enabled || busy.has(action)}
      onClick={() => {
        if (enabled && !busy.has(action)) onAction(action);
      }}
      aria-label={label}
      title={label}
    >
      {label}
    </VscodeButton>
  );
  return (
    <header className="br-header">
      <div>
        <h1 className="br-title">
          {run !== null && <span className={`codicon codicon-${STATE_ICON[run.state]}`} aria-hidden="true" />}
          <span data-testid="run-title">{run === null ? 'Run monitor' : (run.name ?? run.runId)}</span>
          {/* A run that waits in a queue has not started: its badge and time say so. */}
          {run !== null && <VscodeBadge data-testid="run-state">{run.queued ? 'queued' : run.state}</VscodeBadge>}
        </h1>
        {run !== null && (
          <div className="br-meta">
            <span>
              <span className="codicon codicon-server" aria-hidden="true" /> {run.host}
            </span>
            <span className="br-mono">{run.runId}</span>
            {run.startedAt !== null && (
              <span>
                {run.queued ? 'submitted' : 'started'} {new Date(run.startedAt).toLocaleString()}
              </span>
            )}
            {run.queued && (
              <span data-testid="run-queued">
                <span className="codicon codicon-watch" aria-hidden="true" /> {run.queued}
              </span>
            )}
          </div>
        )}
      </div>
      <div className="br-spacer" />
      <div className="br-actions">
        {button('cancel', 'Cancel', 'debug-stop', run?.canCancel ?? false, false)}
        {button('resume', 'Resume', 'debug-restart', run?.canResume ?? false, false)}
        {button('openFolder', 'Open folder', 'folder-opened', run !== null, true)}
        {button('showLog', 'Show log', 'output', run !== null, true)}
      </div>
    </header>
  );
}
