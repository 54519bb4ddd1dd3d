// The Datasets view's menus in package.json select items by their contextValue; check the two agree.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { datasetContextValue } from '../../../src/vscode/datasets/contextValue';

interface MenuEntry {
  command: string;
  when?: string;
  group?: string;
}
const manifest = JSON.parse(readFileSync('package.json', 'utf8'));
const itemMenus: MenuEntry[] = manifest.contributes.menus['view/item/context'];

/** Evaluates the `viewItem =~ /re/` part of a datasets menu `when` clause for a contextValue. */
function offered(command: string, contextValue: string, inline: boolean): boolean {
  return itemMenus
    .filter((m) => m.command === command && m.when?.includes('view == brightrun.datasets') && (m.group?.startsWith('inline') ?? false) === inline)
    .some((m) => {
      const match = /viewItem =~ \/(.+?)\/(?:\s|$)/.exec(m.when!);
      return match ? new RegExp(match[1]).test(contextValue) : true;
    });
}

const item = (format: string, errors = 0, warnings = 0) => datasetContextValue({ stats: { format: format as 'sharegpt', errors, warnings } });

describe('Datasets view menus', () => {
  it('name the problems in the context value', () => {
    expect(item('sharegpt', 2)).toBe('dataset:sharegpt:errors');
    expect(item('alpaca', 0, 1)).toBe('dataset:alpaca:warnings');
    expect(item('openai-chat')).toBe('dataset:openai-chat');
    expect(datasetContextValue({})).toBe('dataset:unknown');
  });

  it('offer validate and preview inline on every dataset', () => {
    for (const value of [item('openai-chat'), item('sharegpt', 3), datasetContextValue({})]) {
      expect(offered('brightrun.validateFile', value, true), value).toBe(true);
      expect(offered('brightrun.previewDataset', value, true), value).toBe(true);
    }
  });

  it('offer conversion only for formats that convert to openai-chat', () => {
    for (const format of ['sharegpt', 'alpaca', 'prompt-completion']) {
      expect(offered('brightrun.convertToOpenAiChat', item(format), true), format).toBe(true);
      expect(offered('brightrun.convertToOpenAiChat', item(format, 1), true), format).toBe(true);
    }
    for (const format of ['openai-chat', 'text', 'unknown']) {
      expect(offered('brightrun.convertToOpenAiChat', item(format), true), format).toBe(false);
    }
  });

  it('offer conversion between the preference formats on the other preference format only', () => {
    expect(offered('brightrun.convertToOpenAiPreference', item('pairs'), false)).toBe(true);
    expect(offered('brightrun.convertToOpenAiPreference', item('pairs', 2), false)).toBe(true);
    expect(offered('brightrun.convertToPreferencePairs', item('openai-preference', 0, 1), false)).toBe(true);
    for (const format of ['openai-chat', 'sharegpt', 'openai-preference', 'unknown']) {
      expect(offered('brightrun.convertToOpenAiPreference', item(format), false), format).toBe(false);
    }
    for (const format of ['openai-chat', 'prompt-completion', 'pairs', 'unknown']) {
      expect(offered('brightrun.convertToPreferencePairs', item(format), false), format).toBe(false);
    }
  });

  it('contribute every dataset command with a BrightRun title', () => {
    const commands: { command: string; category?: string; title: string }[] = manifest.contributes.commands;
    for (const id of [
      'brightrun.validateFile',
      'brightrun.convertToOpenAiChat',
      'brightrun.convertToPreferencePairs',
      'brightrun.convertToOpenAiPreference',
      'brightrun.previewDataset',
      'brightrun.refreshDatasets',
    ]) {
      const command = commands.find((c) => c.command === id);
      expect(command?.category, id).toBe('BrightRun');
      expect(command?.title.length, id).toBeGreaterThan(0);
    }
  });
});
