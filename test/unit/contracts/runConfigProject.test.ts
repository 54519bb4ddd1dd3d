import { describe, expect, it } from 'vitest';
import { validateRunConfig } from '../../../src/contracts/validateRunConfig';

const base = { datasets: { train: 'train.jsonl' }, baseModel: 'Qwen/Qwen2.5-0.5B-Instruct' };

describe('the project label of a run config', () => {
  it('is optional, and kept trimmed', () => {
    const none = validateRunConfig(base);
    expect(none.ok && none.config.project).toBeUndefined();
    const named = validateRunConfig({ ...base, project: '  support-bot ' });
    expect(named.ok && named.config.project).toBe('support-bot');
  });

  it('refuses an empty or overlong project with its path and what to do', () => {
    expect(validateRunConfig({ ...base, project: '   ' })).toEqual({
      ok: false,
      problems: [{ path: '$.project', message: 'the project is empty: name one, or leave "project" out' }],
    });
    expect(validateRunConfig({ ...base, project: 'x'.repeat(101) })).toEqual({
      ok: false,
      problems: [{ path: '$.project', message: 'a project name has at most 100 characters' }],
    });
    expect(validateRunConfig({ ...base, project: 7 })).toMatchObject({ ok: false, problems: [{ path: '$.project' }] });
  });
});
