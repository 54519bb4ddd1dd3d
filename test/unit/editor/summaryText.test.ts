import { describe, expect, it } from 'vitest';
import type { DatasetStats } from '../../../src/core/dataset/types';
import {
  codeLensTitle, compactCount, datasetDescription, lineHoverText, problemCounts, statsTooltip, statusBarText,
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
    expect(problemCounts({ errors: 1, warnings: 0 })).toBe('1 error');
    expect(problemCounts({ errors: 0, warnings: 3 })).toBe('3 warnings');
  });

  it('keeps the status bar short', () => {
    expect(statusBarText(stats)).toBe('$(database) 1,234 ex · ≈45.6k tokens · $(error) 2 $(warning) 1');
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
