// One source of truth for rule codes: the validator's RULES. package.json must offer exactly those codes.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { RULES } from '../../../src/core/dataset/rules';
import { validationSettingsContribution } from '../../../src/vscode/validation/settingsContribution';

const manifest = JSON.parse(readFileSync('package.json', 'utf8'));
const properties: Record<string, unknown> = manifest.contributes.configuration.properties;

describe('package.json validation settings', () => {
  it('match what RULES generates (run `npm run gen:settings` to update)', () => {
    const expected = validationSettingsContribution();
    for (const [key, schema] of Object.entries(expected)) expect(properties[key], key).toEqual(schema);
  });

  it('offer exactly the rule codes of RULES as severity overrides', () => {
    const severity = properties['brightrun.validation.severity'] as { properties: Record<string, { enum: string[] }> };
    expect(Object.keys(severity.properties).sort()).toEqual(Object.keys(RULES).sort());
    for (const rule of Object.values(severity.properties)) expect(rule.enum).toEqual(['error', 'warning', 'info', 'off']);
  });

  it('default maxSeqLen is 2048', () => {
    expect((properties['brightrun.validation.maxSeqLen'] as { default: number }).default).toBe(2048);
  });
});
