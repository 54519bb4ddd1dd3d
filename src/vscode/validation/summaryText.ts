// The words the editor shows about a dataset: CodeLens, status bar, tree description and tooltip, hover.
// One module so every surface says the same thing the same way.
import type { DatasetStats, LineInfo, PreferenceStats, TokenPercentiles } from '../../contracts/dataset';

// Made on first use: a process's first Intl formatter loads the ICU data (20-50 ms), which activation must not wait for.
let integerFormat: Intl.NumberFormat | undefined;
const integer = { format: (value: number) => (integerFormat ??= new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 })).format(value) };

/** 1234 -> "1,234"; 45_600 -> "45.6k"; 2_300_000 -> "2.3M" (compact once it no longer reads at a glance). */
export function compactCount(value: number): string {
  if (value < 10_000) return integer.format(value);
  if (value < 1_000_000) return `${trimZero(value / 1000)}k`;
  if (value < 1_000_000_000) return `${trimZero(value / 1_000_000)}M`;
  return `${trimZero(value / 1_000_000_000)}B`;
}

function trimZero(value: number): string {
  return value >= 100 ? Math.round(value).toString() : value.toFixed(1).replace(/\.0$/, '');
}

function plural(count: number, word: string): string {
  return `${integer.format(count)} ${word}${count === 1 ? '' : 's'}`;
}

/** "≈" marks counts from the approximate tokenizer, so nobody mistakes them for the model's own. */
function tokensWord(stats: DatasetStats): string {
  return `${stats.tokensApproximate ? '≈' : ''}${compactCount(stats.tokens.total)} tokens`;
}

/** "12 errors, 6 warnings, 1 info": every severity the Problems panel shows, zero counts left out. */
export function problemCounts(stats: Pick<DatasetStats, 'errors' | 'warnings' | 'infos'>): string {
  const parts: string[] = [];
  if (stats.errors > 0) parts.push(plural(stats.errors, 'error'));
  if (stats.warnings > 0) parts.push(plural(stats.warnings, 'warning'));
  if (stats.infos > 0) parts.push(plural(stats.infos, 'info'));
  return parts.length > 0 ? parts.join(', ') : 'no problems';
}

/** The icon of the most severe finding, as the Problems panel would show it. */
function severityIcon(stats: Pick<DatasetStats, 'errors' | 'warnings' | 'infos'>): string {
  if (stats.errors > 0) return '$(error)';
  if (stats.warnings > 0) return '$(warning)';
  return stats.infos > 0 ? '$(info)' : '$(pass)';
}

/** Tree item of a dataset whose background summary ran past its time budget. */
export const TOO_SLOW_DESCRIPTION = 'too slow to summarise, validate it explicitly';
export const TOO_SLOW_TOOLTIP =
  'Summarising this file in the background took longer than its time budget, so it was stopped. Run "BrightRun: Validate Dataset" on it (explorer or Datasets view context menu) to validate it with progress.';

/**
 * Why a dataset has no statistics once the background summary has given up on it (the launch form shows this
 * instead of "Validating…"); undefined while statistics exist or are still being computed.
 */
export function statsUnavailable(entry: { stats?: DatasetStats; validating?: boolean; tooSlow?: boolean; error?: string }): string | undefined {
  if (entry.stats || entry.validating) return undefined;
  if (entry.tooSlow) return TOO_SLOW_TOOLTIP;
  return entry.error ? `Could not validate this file: ${entry.error}` : undefined;
}

/** Tree item description: "openai-chat · 1,234 examples · ≈45.6k tokens". */
export function datasetDescription(stats: DatasetStats): string {
  return [stats.format, plural(stats.examples, 'example'), tokensWord(stats)].join(' · ');
}

/** CodeLens at the top of the file: everything the issue lists, on one line. */
export function codeLensTitle(stats: DatasetStats): string {
  const parts = [
    `${severityIcon(stats)} ${stats.format}`,
    plural(stats.examples, 'example'),
    tokensWord(stats),
    `p50 ${compactCount(stats.tokens.p50)} / p95 ${compactCount(stats.tokens.p95)} / max ${compactCount(stats.tokens.max)}`,
  ];
  if (stats.examplesOverMaxSeqLen > 0) parts.push(`${integer.format(stats.examplesOverMaxSeqLen)} over ${integer.format(stats.maxSeqLen)}`);
  if (stats.examples > 0 && !stats.preference) parts.push(`padding ${percent(stats.paddingWaste)}`);
  if (stats.preference) parts.push(preferenceSummary(stats.preference));
  parts.push(problemCounts(stats));
  return parts.join(' · ');
}

/** "300 pairs · prompt p50 40 · chosen/rejected p50 31/45 · chosen longer 52%": a preference file's lens part. */
export function preferenceSummary(p: PreferenceStats): string {
  return [
    plural(p.pairs, 'pair'),
    `prompt p50 ${compactCount(p.promptTokens.p50)}`,
    `chosen/rejected p50 ${compactCount(p.chosenTokens.p50)}/${compactCount(p.rejectedTokens.p50)}`,
    `chosen longer ${percent(p.chosenLongerShare)}`,
  ].join(' · ');
}

/** Status bar: short, with the problem counts as icons like the built-in Problems item (infos only when any). */
export function statusBarText(stats: DatasetStats): string {
  const infos = stats.infos > 0 ? ` $(info) ${stats.infos}` : '';
  const count = stats.preference ? `${compactCount(stats.preference.pairs)} pairs` : `${compactCount(stats.examples)} ex`;
  return `$(database) ${count} · ${tokensWord(stats)} · $(error) ${stats.errors} $(warning) ${stats.warnings}${infos}`;
}

/**
 * The summary CodeLens of an open dataset: its last published statistics, even while a newer edit waits for
 * its validation (so the lens never blinks away), "Validating…" before the first ones, nothing if untracked.
 */
export function summaryLensTitle(stats: DatasetStats | undefined, validating: boolean): string | undefined {
  if (stats) return codeLensTitle(stats);
  return validating ? '$(sync~spin) Validating dataset…' : undefined;
}

/** Markdown tooltip with the full statistics (tree item and status bar). */
export function statsTooltip(stats: DatasetStats, title?: string): string {
  const rows: [string, string][] = [
    ['Format', stats.format],
    ['Examples', integer.format(stats.examples)],
    ['Messages', integer.format(stats.messages)],
    ['Tokens', `${integer.format(stats.tokens.total)}${stats.tokensApproximate ? ' (approximate)' : ''}`],
    ['Assistant tokens', integer.format(stats.tokens.assistant)],
    ['Per example', `p50 ${integer.format(stats.tokens.p50)} · p95 ${integer.format(stats.tokens.p95)} · max ${integer.format(stats.tokens.max)}`],
    [`Over ${integer.format(stats.maxSeqLen)} tokens`, integer.format(stats.examplesOverMaxSeqLen)],
    ['Padding waste (no packing)', percent(stats.paddingWaste)],
    ...preferenceRows(stats.preference),
    ['Tokenizer', stats.tokenizer || 'approximate'],
    ['Problems', `${plural(stats.errors, 'error')}, ${plural(stats.warnings, 'warning')}, ${plural(stats.infos, 'info')}`],
  ];
  const table = ['| | |', '|---|---|', ...rows.map(([k, v]) => `| ${k} | ${escapeCell(v)} |`)].join('\n');
  return title ? `**${escapeMarkdown(title)}**\n\n${table}` : table;
}

function preferenceRows(p: PreferenceStats | undefined): [string, string][] {
  if (!p) return [];
  const pct = (t: TokenPercentiles) => `p50 ${integer.format(t.p50)} · p95 ${integer.format(t.p95)} · max ${integer.format(t.max)}`;
  return [
    ['Pairs', integer.format(p.pairs)],
    ['Prompt tokens', pct(p.promptTokens)],
    ['Chosen tokens', pct(p.chosenTokens)],
    ['Rejected tokens', pct(p.rejectedTokens)],
    ['Chosen longer than rejected', `${percent(p.chosenLongerShare)} of pairs`],
  ];
}

/** Hover on a line: its token count (saying whether it is exact) and its turn structure. */
export function lineHoverText(info: LineInfo, approximate: boolean, tokenizer: string, maxSeqLen: number): string {
  const name = tokenizer || 'gpt-tokenizer';
  const kind = approximate ? (/approximate/i.test(name) ? name : `approximate (${name})`) : `exact (${name})`;
  const lines = [`**${integer.format(info.tokens)} tokens** — ${escapeMarkdown(kind)}`];
  if (info.tokens > maxSeqLen) lines.push(`Over the max sequence length of ${integer.format(maxSeqLen)}: it would be truncated.`);
  if (info.turns.length > 0) lines.push(`Turns: ${info.turns.map(escapeMarkdown).join(' → ')}`);
  return lines.join('\n\n');
}

export function percent(share: number): string {
  return `${Math.round(Math.max(0, Math.min(1, share)) * 100)}%`;
}

function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+\-.!|<>]/g, '\\$&');
}

function escapeCell(text: string): string {
  return text.replace(/\|/g, '\\|');
}
