// What a sweep asks that the rest of its run config cannot give: checked with the config (validateRunConfig)
// and again before a sweep is expanded.
import type { RunConfigFile } from './runConfigFile';
import { TRAINING_METRICS } from './sweep';

/** Problems a sweep has with the rest of its config, each one a sentence that says what to change. */
export function sweepConfigProblems(config: RunConfigFile): { path: string; message: string }[] {
  const sweep = config.sweep;
  if (!sweep) return [];
  const problems: { path: string; message: string }[] = [];
  if (sweep.earlyStop && config.evalEvery === 0) {
    problems.push({
      path: '$.sweep.earlyStop',
      message: 'early stopping compares eval loss at each evaluation: set "evalEvery" (e.g. 50), or remove "earlyStop"',
    });
  }
  const reportMetric = !TRAINING_METRICS.includes(sweep.metric);
  if (reportMetric && !config.evaluate) {
    problems.push({
      path: '$.sweep.metric',
      message: `${sweep.metric} comes from the evaluation report at the end of each run: set "evaluate": true, or rank by eval_loss`,
    });
  }
  if (sweep.metric === 'preference_accuracy' && config.method === 'sft') {
    problems.push({ path: '$.sweep.metric', message: 'preference_accuracy is measured for method dpo or orpo only: set "method", or rank by eval_loss' });
  }
  return problems;
}
