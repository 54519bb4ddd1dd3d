// A finished run that reported to all three experiment trackers, and a launch form with tracking filled in.
import type { RunEvent } from '../../src/contracts/events';
import { compactHistory } from '../../src/shared/monitorHistory';
import type { Scenario } from './fakeHost';
import { launchInit, logTail, monitorSummary, recordedRun } from './scenarios';

/** The recorded run with the trainer's tracker events after its plan, seqs renumbered. */
function trackedRun(): RunEvent[] {
  const events = recordedRun({ steps: 400 });
  const at = events.findIndex((e) => e.type === 'plan') + 1;
  const base = { v: 1 as const, seq: 0, ts: events[at - 1].ts };
  const logdir = '/home/ml/.brightrun/runs/qwen-support-20260112-0930/tensorboard';
  const trackers: RunEvent[] = [
    { ...base, type: 'tracker', tracker: 'tensorboard', location: logdir, command: `tensorboard --logdir ${logdir}` },
    { ...base, type: 'tracker', tracker: 'mlflow', location: 'http://10.0.4.20:5000/#/experiments/3/runs/6b1f0c2d9e', run_id: '6b1f0c2d9e' },
    { ...base, type: 'tracker', tracker: 'wandb', location: 'https://wandb.ai/acme/support-bot/runs/q7x2k9', run_id: 'q7x2k9' },
  ];
  return [...events.slice(0, at), ...trackers, ...events.slice(at)].map((e, i) => ({ ...e, seq: i + 1 }));
}

export function trackingScenarios(): Record<string, Scenario> {
  const run = trackedRun();
  const launch = launchInit();
  return {
    'monitor-tracked': { panel: 'monitor', init: { type: 'init', run: monitorSummary(run), history: compactHistory(run), logTail: logTail(run) } },
    'launch-tracking': {
      panel: 'launch',
      init: {
        ...launch,
        config: {
          ...launch.config,
          tracking: {
            tensorboard: true,
            mlflow: { trackingUri: 'http://10.0.4.20:5000', experiment: 'support-bot' },
            wandb: { project: 'support-bot', entity: 'acme' },
          },
        },
      },
    },
  };
}
