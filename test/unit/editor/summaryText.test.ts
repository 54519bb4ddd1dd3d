import { describe, expect, it } from 'vitest';
import type { DatasetStats } from '../../../src/contracts/dataset';
import {
  codeLensTitle,
  compactCount,
  datasetDescription,
  lineHoverText,
  problemCounts,
  statsTooltip,
  statusBarText,
  summaryLensTitle,
} from '../../../src/vscode/validation/summaryText';

const stats: DatasetStats = {
  format: 'openai-chat',
  examples: 1234,
  messages: 4000,
  tokens: { total: 45_600, assistant: 20_000, p50: 31, p95: 90, max: 4100 },
  tokensApproximate: true,
  tokenizer: 'gpt-tokenizer (o200k)',
  maxSeqLen: 2048,
  examplesOverMaxSeqLen: 3,
  paddingWaste: 0.416,
  errors: 2,
  warnings: 1,
  infos: 0,
};

describe('summary text', () => {
  it('compacts counts only once they are large', () => {
    expect(compactCount(0)).toBe('0');
    expect(compactCount(9999)).toBe('9,999');
    expect(compactCount(45_600)).toBe('45.6k');
    expect(compactCount(120_000)).toBe('120k');
    expect(compactCount(2_300_000)).toBe('2.3M');
    expect(compactCount(5_000_000_000)).toBe('5B');
  });

  it('describes a dataset in the tree', () => {
    expect(datasetDescription(stats)).toBe('openai-chat · 1,234 examples · ≈45.6k tokens');
    expect(datasetDescription({ ...stats, examples: 1, tokensApproximate: false })).toBe('openai-chat · 1 example · 45.6k tokens');
  });

  it('puts everything in the CodeLens, with the error icon when there are errors', () => {
    expect(codeLensTitle(stats)).toBe(
      '$(error) openai-chat · 1,234 examples · ≈45.6k tokens · p50 31 / p95 90 / max 4,100 · 3 over 2,048 · padding 42% · 2 errors, 1 warning',
    );
    const clean = { ...stats, errors: 0, warnings: 0, examplesOverMaxSeqLen: 0 };
    expect(codeLensTitle(clean)).toMatch(/^\$\(pass\) /);
    expect(codeLensTitle(clean)).not.toMatch(/over 2,048/);
    expect(codeLensTitle(clean)).toMatch(/no problems$/);
  });

  it('counts problems with correct plurals', () => {
    expect(problemCounts({ errors: 1, warnings: 0, infos: 0 })).toBe('1 error');
    expect(problemCounts({ errors: 0, warnings: 3, infos: 0 })).toBe('3 warnings');
    expect(problemCounts({ errors: 0, warnings: 0, infos: 0 })).toBe('no problems');
  });

  it('counts infos too, as the Problems panel shows them', () => {
    expect(problemCounts({ errors: 12, warnings: 6, infos: 1 })).toBe('12 errors, 6 warnings, 1 info');
    expect(problemCounts({ errors: 0, warnings: 0, infos: 2 })).toBe('2 infos');
    expect(codeLensTitle({ ...stats, infos: 1 })).toMatch(/ · 2 errors, 1 warning, 1 info$/);
    // Infos alone are not a clean bill: the lens says so with the info icon instead of the check mark.
    const onlyInfos = { ...stats, errors: 0, warnings: 0, infos: 1 };
    expect(codeLensTitle(onlyInfos)).toMatch(/^\$\(info\) openai-chat · .* · 1 info$/);
    expect(statsTooltip(onlyInfos)).toContain('| Problems | 0 errors, 0 warnings, 1 info |');
  });

  it('keeps the status bar short, with infos only when there are any', () => {
    expect(statusBarText(stats)).toBe('$(database) 1,234 ex · ≈45.6k tokens · $(error) 2 $(warning) 1');
    expect(statusBarText({ ...stats, infos: 3 })).toBe('$(database) 1,234 ex · ≈45.6k tokens · $(error) 2 $(warning) 1 $(info) 3');
  });

  it('keeps the summary lens up while the first validation runs, and shows the last published statistics after', () => {
    expect(summaryLensTitle(undefined, true)).toBe('$(sync~spin) Validating dataset…');
    expect(summaryLensTitle(undefined, false)).toBeUndefined();
    // Statistics win over "validating": an edit waiting for its validation keeps the last summary on screen.
    expect(summaryLensTitle(stats, true)).toBe(codeLensTitle(stats));
    expect(summaryLensTitle(stats, false)).toBe(codeLensTitle(stats));
  });

  it('says in the tooltip that counts are approximate', () => {
    const tooltip = statsTooltip(stats, 'train.jsonl');
    expect(tooltip).toContain('| Tokens | 45,600 (approximate) |');
    expect(tooltip).toContain('| Over 2,048 tokens | 3 |');
    expect(tooltip.startsWith('**train\\.jsonl**')).toBe(true);
  });

  it('hovers a line with its tokens and turns, saying exact or approximate', () => {
    const approx = lineHoverText({ tokens: 2100, turns: ['system', 'user', 'assistant'] }, true, '', 2048);
    expect(approx).toContain('**2,100 tokens** — approximate');
    expect(approx).toContain('Over the max sequence length of 2,048');
    expect(approx).toContain('Turns: system → user → assistant');
    const exact = lineHoverText({ tokens: 12, turns: [] }, false, '/m/tokenizer.json', 2048);
    expect(exact).toContain('exact');
    expect(exact).not.toContain('Turns');
    const named = lineHoverText({ tokens: 3, turns: [] }, true, 'gpt-tokenizer cl100k (approximate)', 2048);
    expect(named).not.toMatch(/approximate \(.*approximate/);
  });
});

describe('summary text of a preference dataset', () => {
  const pairs: DatasetStats = {
    ...stats,
    format: 'pairs',
    examplesOverMaxSeqLen: 0,
    errors: 0,
    warnings: 1,
    preference: {
      pairs: 1234,
      promptTokens: { p50: 40, p95: 80, max: 120 },
      chosenTokens: { p50: 31, p95: 60, max: 70 },
      rejectedTokens: { p50: 45, p95: 90, max: 99 },
      chosenLongerShare: 0.873,
    },
  };

  it('the CodeLens shows pairs, prompt and response medians and the length share instead of padding', () => {
    expect(codeLensTitle(pairs)).toBe(
      '$(warning) pairs · 1,234 examples · ≈45.6k tokens · p50 31 / p95 90 / max 4,100 · 1,234 pairs · prompt p50 40 · chosen/rejected p50 31/45 · chosen longer 87% · 1 warning',
    );
  });

  it('the status bar counts pairs, and the tooltip has a row per statistic', () => {
    expect(statusBarText(pairs)).toBe('$(database) 1,234 pairs · ≈45.6k tokens · $(error) 0 $(warning) 1');
    const tooltip = statsTooltip(pairs);
    expect(tooltip).toContain('| Prompt tokens | p50 40 · p95 80 · max 120 |');
    expect(tooltip).toContain('| Chosen longer than rejected | 87% of pairs |');
    expect(statsTooltip(stats)).not.toContain('Pairs');
  });
});
