import { describe, expect, it } from 'vitest';
import { readdirSync } from 'node:fs';
import { isPromptSetPath } from '../../../src/core/evaluation/promptSet';

describe('prompt sets are told apart from training data by name', () => {
  it('recognises *.prompts.jsonl in any case, and nothing else', () => {
    expect(isPromptSetPath('/w/samples/tickets-val.prompts.jsonl')).toBe(true);
    expect(isPromptSetPath('C:\\w\\Eval.PROMPTS.JSONL')).toBe(true);
    expect(isPromptSetPath('/w/samples/tickets-val.jsonl')).toBe(false);
    expect(isPromptSetPath('/w/prompts.jsonl.bak')).toBe(false);
    expect(isPromptSetPath('/w/prompts/train.jsonl')).toBe(false);
  });

  it('covers the prompt sets shipped in samples/, and none of the training files', () => {
    const files = readdirSync('samples', { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.jsonl'));
    const promptSets = files.filter(isPromptSetPath);
    expect(promptSets.length).toBeGreaterThan(0);
    expect(promptSets.every((f) => f.endsWith('.prompts.jsonl'))).toBe(true);
    expect(files.filter((f) => !isPromptSetPath(f))).toContain('tickets/tickets-train.jsonl');
  });
});
