import { describe, expect, it } from 'vitest';
import { numberFromInput, setAt, validateForm } from '../../webview/src/launch/configEdit';

describe('launch form config editing', () => {
  it('sets and removes nested values without touching the rest', () => {
    const config = { baseModel: 'm', hyperparameters: { epochs: 2 } };
    expect(setAt(config, 'hyperparameters.learningRate', 1e-4)).toEqual({ baseModel: 'm', hyperparameters: { epochs: 2, learningRate: 1e-4 } });
    expect(setAt(config, 'hyperparameters.epochs', undefined)).toEqual({ baseModel: 'm' });
    expect(config).toEqual({ baseModel: 'm', hyperparameters: { epochs: 2 } });
  });

  it('keeps text that is not a number so the schema can say so', () => {
    expect(numberFromInput(' 3e-4 ')).toBe(3e-4);
    expect(numberFromInput('')).toBeUndefined();
    expect(numberFromInput('fast')).toBe('fast');
  });

  it('words the schema limits for people', () => {
    const errors = validateForm({
      datasets: { train: 'a.jsonl' },
      baseModel: 'm',
      gpus: 0,
      hyperparameters: { loraDropout: 2, learningRate: 0 },
    });
    expect(errors.get('gpus')).toBe('At least 1.');
    expect(errors.get('hyperparameters.loraDropout')).toBe('At most 0.9.');
    expect(errors.get('hyperparameters.learningRate')).toBe('More than 0.');
  });

  it('reports a missing training file at its picker and accepts an empty run name', () => {
    const errors = validateForm({ baseModel: 'm', name: '' });
    expect(errors.get('datasets.train')).toBe('Required.');
    expect(errors.has('name')).toBe(false);
  });
});
