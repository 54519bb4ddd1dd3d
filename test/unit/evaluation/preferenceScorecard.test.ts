// The evaluation report of a preference run: its "preference" block parses, and the scorecard shows it.
import { describe, expect, it } from 'vitest';
import { EvalReport } from '../../../src/contracts/evalReport';
import { betterSide, formatChange, formatScore, scorecardRows } from '../../../src/shared/scorecard';
import { sampleReport } from './sampleReport';

const preference = {
  pairs: 8,
  base: { accuracy: 0.5, margin: -1.25 },
  adapter: { accuracy: 1, margin: 30.5 },
  reward: { accuracy: 1, margin: 31.75 },
};

describe('preference scores in the evaluation report', () => {
  it('are optional, so the reports of SFT runs still parse', () => {
    expect(EvalReport.safeParse(sampleReport()).success).toBe(true);
    expect(EvalReport.safeParse({ ...sampleReport(), preference }).success).toBe(true);
    expect(EvalReport.safeParse({ ...sampleReport(), preference: { ...preference, base: { accuracy: 'high', margin: 0 } } }).success).toBe(false);
  });

  it('add preference rows after the validation perplexity, with the better side', () => {
    const rows = scorecardRows({ ...sampleReport(), preference });
    expect(rows.map((r) => r.key).slice(0, 5)).toEqual(['val_perplexity', 'preference_accuracy', 'preference_margin', 'reward_accuracy', 'reward_margin']);
    const byKey = Object.fromEntries(rows.map((r) => [r.key, r]));
    expect(byKey.preference_accuracy.label).toBe('Preference accuracy (8 pairs)');
    expect(formatChange(byKey.preference_accuracy)).toBe('+50.0 pts');
    expect(betterSide(byKey.preference_accuracy)).toBe('adapter');
    expect(betterSide(byKey.preference_margin)).toBe('adapter');
    // The base model's implicit reward against itself is zero by definition: no base value, no change.
    expect(byKey.reward_margin.base).toBeNull();
    expect(formatScore(byKey.reward_margin.adapter, byKey.reward_margin.unit)).toBe('31.75');
    expect(formatChange(byKey.reward_margin)).toBe('');
  });

  it('are absent from the scorecard of an SFT run', () => {
    expect(scorecardRows(sampleReport()).some((r) => r.key.startsWith('preference') || r.key.startsWith('reward'))).toBe(false);
  });
});
