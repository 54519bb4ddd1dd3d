// @vitest-environment jsdom
// The launch form's Tracking section writes the run config's `tracking` (and turns a tracker off by clearing it);
// the monitor shows where the metrics go from the trainer's tracker events.
import { afterEach, describe, expect, it } from 'vitest';
import { act, cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { LaunchApp } from '../../webview/src/launch/App';
import { MonitorApp, type MonitorViewState } from '../../webview/src/monitor/App';
import { launchInit } from '../../webview/preview/scenarios';
import type { LaunchPersistedState } from '../../src/shared/launchProtocol';
import type { RunEvent } from '../../src/contracts/events';
import { compactHistory } from '../../src/shared/monitorHistory';
import { hostSends, recordingApi, type RecordingApi } from './helpers';
import { runSummary, sampleHistory } from './fixtures';

afterEach(cleanup);

function typeInto(field: string, text: string) {
  const element = screen.getByTestId(`input-${field}`) as HTMLInputElement;
  act(() => {
    element.value = text;
    element.dispatchEvent(new Event('input', { bubbles: true }));
  });
}

/** The config of the latest estimate request: the form's config as the file would hold it. */
function latestConfig(api: RecordingApi<LaunchPersistedState>): Record<string, unknown> {
  const estimates = api.posted.filter((m) => m.type === 'estimate');
  return estimates[estimates.length - 1].config as Record<string, unknown>;
}

describe('launch form: tracking', () => {
  it('writes TensorBoard, MLflow and W&B into the config, and removes a tracker whose field is cleared', async () => {
    const api = recordingApi<LaunchPersistedState>();
    render(<LaunchApp api={api} estimateDelayMs={0} />);
    hostSends(launchInit());
    expect(screen.queryByTestId('input-tracking.mlflow.experiment')).toBeNull();

    const box = screen.getByTestId('input-tracking.tensorboard') as HTMLInputElement;
    box.checked = true;
    fireEvent(box, new Event('change', { bubbles: true }));
    typeInto('tracking.mlflow.trackingUri', 'http://127.0.0.1:5000');
    typeInto('tracking.mlflow.experiment', 'tickets');
    typeInto('tracking.wandb.project', 'tickets');
    await waitFor(() =>
      expect(latestConfig(api).tracking).toEqual({
        tensorboard: true,
        mlflow: { trackingUri: 'http://127.0.0.1:5000', experiment: 'tickets' },
        wandb: { project: 'tickets' },
      }),
    );

    typeInto('tracking.mlflow.trackingUri', '');
    box.checked = false;
    fireEvent(box, new Event('change', { bubbles: true }));
    await waitFor(() => expect(latestConfig(api).tracking).toEqual({ wandb: { project: 'tickets' } }));
    expect(screen.queryByTestId('input-tracking.mlflow.experiment')).toBeNull();
  });

  it("shows the schema's refusal of credentials in the MLflow URI at the field", () => {
    render(<LaunchApp api={recordingApi<LaunchPersistedState>()} estimateDelayMs={0} />);
    hostSends(launchInit());
    typeInto('tracking.mlflow.trackingUri', 'https://me:secret@mlflow.example.com');
    expect(screen.getByTestId('error-tracking.mlflow.trackingUri').textContent).toContain('MLFLOW_TRACKING_USERNAME');
  });
});

describe('monitor: tracking', () => {
  it('shows each tracker the trainer reported, with the command or the link, once per tracker', () => {
    render(<MonitorApp api={recordingApi<MonitorViewState>()} />);
    const history = sampleHistory(10);
    const ts = history[history.length - 1].ts;
    let seq = Math.max(...history.map((e) => e.seq));
    const tracker = (fields: object) => ({ v: 1, seq: ++seq, ts, type: 'tracker', ...fields }) as RunEvent;
    const events = [
      ...history,
      tracker({ tracker: 'tensorboard', location: '/runs/r1/tensorboard', command: 'tensorboard --logdir /runs/r1/tensorboard' }),
      tracker({ tracker: 'mlflow', location: 'http://127.0.0.1:5000/#/experiments/1/runs/a1', run_id: 'a1' }),
      // A resumed run reports its MLflow run again: one line still.
      tracker({ tracker: 'mlflow', location: 'http://127.0.0.1:5000/#/experiments/1/runs/a1', run_id: 'a1' }),
    ];
    hostSends({ type: 'init', run: runSummary(), history: compactHistory(events), logTail: [] });
    expect(screen.getByTestId('tracker-tensorboard').textContent).toContain('tensorboard --logdir /runs/r1/tensorboard');
    const link = screen.getByTestId('tracker-mlflow').querySelector('a');
    expect(link?.getAttribute('href')).toBe('http://127.0.0.1:5000/#/experiments/1/runs/a1');
    expect(screen.getByTestId('trackers').children).toHaveLength(2);
  });

  it('shows no tracker box for a run without trackers', () => {
    render(<MonitorApp api={recordingApi<MonitorViewState>()} />);
    hostSends({ type: 'init', run: runSummary(), history: compactHistory(sampleHistory(10)), logTail: [] });
    expect(screen.queryByTestId('trackers')).toBeNull();
  });
});
