// The scorecard of an evaluation report: one row per number, base model against adapter, with which side is
// better. Pure; shared by the CLI's printout, the Evaluation panel and Compare Runs.
import type { EvalReport, MetricName, PreferenceReport } from '../contracts/evalReport';

export interface ScorecardRow {
  key: 'val_perplexity' | 'retention_perplexity' | MetricName | PreferenceRowKey;
  label: string;
  base: number | null;
  adapter: number | null;
  /** 'percent' for shares 0..1 shown as %, 'number' otherwise. */
  unit: 'percent' | 'number';
  /** Which direction is an improvement; null when neither is (answer length). */
  higherIsBetter: boolean | null;
}

type PreferenceRowKey = 'preference_accuracy' | 'preference_margin' | 'reward_accuracy' | 'reward_margin';

/** Preference runs: the base model's and the adapter's own preference for the chosen responses, then the adapter's
 *  implicit reward against the base (zero for the base by definition, so only the adapter has a value). */
function preferenceRows(preference: PreferenceReport): ScorecardRow[] {
  const pairs = `${preference.pairs} pairs`;
  return [
    {
      key: 'preference_accuracy',
      label: `Preference accuracy (${pairs})`,
      base: preference.base.accuracy,
      adapter: preference.adapter.accuracy,
      unit: 'percent',
      higherIsBetter: true,
    },
    {
      key: 'preference_margin',
      label: 'Log-prob margin, chosen - rejected',
      base: preference.base.margin,
      adapter: preference.adapter.margin,
      unit: 'number',
      higherIsBetter: true,
    },
    {
      key: 'reward_accuracy',
      label: 'Implicit reward accuracy (vs base)',
      base: null,
      adapter: preference.reward.accuracy,
      unit: 'percent',
      higherIsBetter: true,
    },
    { key: 'reward_margin', label: 'Implicit reward margin (vs base)', base: null, adapter: preference.reward.margin, unit: 'number', higherIsBetter: true },
  ];
}

const METRIC_ROWS: { key: MetricName; label: string; unit: ScorecardRow['unit']; higherIsBetter: boolean | null }[] = [
  { key: 'exact_match', label: 'Exact match', unit: 'percent', higherIsBetter: true },
  { key: 'token_f1', label: 'Token F1', unit: 'percent', higherIsBetter: true },
  { key: 'rouge_l', label: 'ROUGE-L', unit: 'percent', higherIsBetter: true },
  { key: 'valid_json_rate', label: 'Valid JSON', unit: 'percent', higherIsBetter: true },
  { key: 'answer_length', label: 'Answer length (words)', unit: 'number', higherIsBetter: null },
];

export function scorecardRows(report: EvalReport): ScorecardRow[] {
  const rows: ScorecardRow[] = [];
  if (report.validation) {
    rows.push({
      key: 'val_perplexity',
      label: `Validation perplexity (${report.validation.examples} examples)`,
      base: report.base.perplexity,
      adapter: report.adapter.perplexity,
      unit: 'number',
      higherIsBetter: false,
    });
  }
  if (report.preference) rows.push(...preferenceRows(report.preference));
  rows.push({
    key: 'retention_perplexity',
    label: `General-text perplexity (${report.retention.examples} paragraphs)`,
    base: report.retention.base,
    adapter: report.retention.adapter,
    unit: 'number',
    higherIsBetter: false,
  });
  for (const row of METRIC_ROWS) {
    const pair = report.metrics[row.key];
    if (pair.base === null && pair.adapter === null) continue;
    rows.push({ ...row, base: pair.base, adapter: pair.adapter });
  }
  return rows;
}

export function formatScore(value: number | null, unit: ScorecardRow['unit']): string {
  if (value === null) return 'n/a';
  if (unit === 'percent') return `${(value * 100).toFixed(1)}%`;
  return Math.abs(value) >= 1000 ? Math.round(value).toLocaleString('en-US') : value.toFixed(2);
}

/** "-95.7%" for perplexities (relative), "+16.2 pts" for shares; empty when a side is missing. */
export function formatChange(row: ScorecardRow): string {
  if (row.base === null || row.adapter === null) return '';
  if (row.unit === 'percent') return `${row.adapter >= row.base ? '+' : ''}${((row.adapter - row.base) * 100).toFixed(1)} pts`;
  if (row.base === 0) return '';
  const change = (row.adapter / row.base - 1) * 100;
  return `${change >= 0 ? '+' : ''}${change.toFixed(1)}%`;
}

/** 'adapter' or 'base' when one side is better, null when equal, unknown or neither direction is better. */
export function betterSide(row: ScorecardRow): 'adapter' | 'base' | null {
  if (row.higherIsBetter === null || row.base === null || row.adapter === null || row.base === row.adapter) return null;
  return row.adapter > row.base === row.higherIsBetter ? 'adapter' : 'base';
}

export function gatesSummary(report: EvalReport): string {
  const failed = report.gates.filter((gate) => !gate.passed);
  if (report.gates.length === 0) return 'No quality gates configured.';
  if (failed.length === 0) return `All ${report.gates.length} quality gates passed.`;
  return `${failed.length} of ${report.gates.length} quality gates failed: ${failed.map((gate) => gate.name).join(', ')}.`;
}
