// The metric charts of the monitor and of Compare Runs, as data: each entry names the event fields it draws
// (fields of the metrics or eval event, src/contracts/events.ts). A chart whose fields have no value in a run is
// not shown, so a metric the trainer reports only for some runs (GPU, preference methods) needs one entry here
// and nothing else: the column store keeps every schema field already.
import type { EvalField, MetricField } from '../../../src/contracts/events';
import type { ChartColors } from './theme';

export type ChartField = { source: 'metrics'; field: MetricField } | { source: 'eval'; field: EvalField };

export interface ChartSeriesSpec {
  /** Legend name in the monitor. */
  name: string;
  of: ChartField;
  /** Index into the theme's series colours, or the train / eval colour. */
  color: number | 'train' | 'eval';
  /** Compare Runs draws one chart per series (one line per run); its title there. */
  compareTitle?: string;
}

export interface ChartSpec {
  title: string;
  series: readonly ChartSeriesSpec[];
  /** Y tick format: metric values (default) or counts (1.2k). */
  yFormat?: 'metric' | 'count';
  /** Follows the log-scale toggle (the loss charts). */
  logScalable?: boolean;
  /** Shown with "No data yet" before the run has any value (the loss); every other chart waits for a value. */
  alwaysShown?: boolean;
  /** Also drawn in Compare Runs, one chart per series. */
  compare?: boolean;
}

const metric = (field: MetricField): ChartField => ({ source: 'metrics', field });
const evaluation = (field: EvalField): ChartField => ({ source: 'eval', field });

export const CHARTS: readonly ChartSpec[] = [
  {
    title: 'Loss',
    series: [
      { name: 'train', of: metric('loss'), color: 'train', compareTitle: 'Train loss' },
      { name: 'eval', of: evaluation('eval_loss'), color: 'eval', compareTitle: 'Eval loss' },
    ],
    logScalable: true,
    alwaysShown: true,
    compare: true,
  },
  { title: 'Learning rate', series: [{ name: 'lr', of: metric('learning_rate'), color: 2 }], compare: true },
  { title: 'Grad norm', series: [{ name: 'grad norm', of: metric('grad_norm'), color: 3 }] },
  { title: 'Tokens / s', series: [{ name: 'tokens/s', of: metric('tokens_per_s'), color: 5 }], yFormat: 'count' },
  { title: 'GPU utilisation (%)', series: [{ name: 'GPU %', of: metric('gpu_util'), color: 4 }] },
  { title: 'GPU memory (GB)', series: [{ name: 'GB', of: metric('gpu_mem_gb'), color: 1 }] },
  // Preference runs (DPO, ORPO).
  {
    title: 'Reward margin',
    series: [
      { name: 'train', of: metric('reward_margin'), color: 'train' },
      { name: 'eval', of: evaluation('reward_margin'), color: 'eval', compareTitle: 'Reward margin (eval)' },
    ],
    compare: true,
  },
  {
    title: 'Preference accuracy',
    series: [
      { name: 'train', of: metric('preference_accuracy'), color: 'train' },
      { name: 'eval', of: evaluation('preference_accuracy'), color: 'eval', compareTitle: 'Preference accuracy (eval)' },
    ],
    compare: true,
  },
  {
    title: 'Rewards',
    series: [
      { name: 'chosen', of: metric('reward_chosen'), color: 2 },
      { name: 'rejected', of: metric('reward_rejected'), color: 4 },
    ],
  },
  {
    title: 'Log-probabilities',
    series: [
      { name: 'chosen', of: metric('logps_chosen'), color: 2 },
      { name: 'rejected', of: metric('logps_rejected'), color: 4 },
    ],
  },
  { title: 'Log odds ratio (ORPO)', series: [{ name: 'log odds ratio', of: metric('log_odds_ratio'), color: 3 }], compare: true },
  { title: 'Odds-ratio loss (ORPO)', series: [{ name: 'odds-ratio loss', of: metric('or_loss'), color: 5 }] },
];

export function seriesColor(colors: ChartColors, color: ChartSeriesSpec['color']): string {
  if (color === 'train') return colors.train;
  if (color === 'eval') return colors.eval;
  return colors.series[color % colors.series.length];
}
