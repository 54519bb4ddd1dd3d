// Where the run's metrics also go, as the trainer reported each tracker once it started: the TensorBoard folder
// with the command that opens it, the MLflow or W&B run's page (a link opens it in the browser), or an offline
// W&B folder with its `wandb sync` command.
import { TRACKER_LABELS } from '../../../src/contracts/tracking';
import type { RunHistory } from '../common/runHistory';

const isWebPage = (location: string) => /^https?:\/\//.test(location);

const VERB = { tensorboard: 'Open it on the host that trains with', mlflow: 'Open it with', wandb: 'Upload it to W&B with' } as const;

export function TrackerLinks({ history }: { history: RunHistory }) {
  if (history.trackers.size === 0) return null;
  return (
    <div className="br-callout" data-testid="trackers">
      {[...history.trackers.values()].map((event, i) => (
        <div key={event.tracker} data-testid={`tracker-${event.tracker}`} style={{ marginTop: i > 0 ? 6 : 0, overflowWrap: 'anywhere' }}>
          <span className="codicon codicon-graph-line" aria-hidden="true" /> <strong>{TRACKER_LABELS[event.tracker]}</strong>{' '}
          {isWebPage(event.location) ? (
            <a href={event.location} title="Open in the browser" style={{ color: 'var(--vscode-textLink-foreground)' }}>
              {event.location}
            </a>
          ) : (
            <span className="br-mono">{event.location}</span>
          )}
          {event.command !== undefined && (
            <div className="br-muted">
              {VERB[event.tracker]} <code className="br-mono">{event.command}</code>
            </div>
          )}
        </div>
      ))}
    </div>
  );
}
