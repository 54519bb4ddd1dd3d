// The settings table against package.json's contributes.configuration (every key both ways, its JSON type and its
// default), and the reader's defaults against the table: what a user sees in the Settings editor is what the
// extension assumes when nothing is set.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SETTINGS, SETTINGS_SECTION, readSettings } from '../../../src/vscode/settings';

const manifest = JSON.parse(readFileSync(join(__dirname, '..', '..', '..', 'package.json'), 'utf8')) as {
  contributes: { configuration: { properties: Record<string, { type: unknown; default?: unknown }> } };
};
const declared = manifest.contributes.configuration.properties;
const unset = { get: () => undefined };

describe('settings table', () => {
  it('has exactly the settings package.json declares', () => {
    expect(
      Object.keys(SETTINGS)
        .map((key) => `${SETTINGS_SECTION}.${key}`)
        .sort(),
    ).toEqual(Object.keys(declared).sort());
  });

  it.each(Object.entries(SETTINGS))('%s has the type and default package.json declares', (key, setting) => {
    const property = declared[`${SETTINGS_SECTION}.${key}`];
    expect(property.type).toEqual(setting.type);
    expect(property.default).toEqual(setting.default);
  });
});

describe('readSettings', () => {
  it('gives the table defaults when nothing is set', () => {
    const { settings, problems } = readSettings(unset, { home: '/home/ada' });
    expect(problems).toEqual([]);
    expect(settings).toEqual({
      validation: {
        maxSeqLen: SETTINGS['validation.maxSeqLen'].default,
        tokenizer: SETTINGS['validation.tokenizer'].default,
        severity: SETTINGS['validation.severity'].default,
        debounceMs: SETTINGS['validation.debounceMs'].default,
      },
      run: {
        pythonPath: SETTINGS.pythonPath.default,
        // An empty work folder means the default one in the home folder.
        localWorkdir: '/home/ada/.brightrun',
        defaultPricePerGpuHour: SETTINGS.defaultPricePerGpuHour.default,
        hosts: SETTINGS.hosts.default,
      },
      hubUrl: SETTINGS.hubUrl.default,
    });
  });

  it('reads every section from the brightrun configuration', () => {
    const values: Record<string, unknown> = {
      'validation.maxSeqLen': 4096,
      'validation.tokenizer': ' ./tok/tokenizer.json ',
      'validation.severity': { too_long: 'error' },
      'validation.debounceMs': 100,
      pythonPath: '~/venv/bin/python',
      localWorkdir: '/srv/brightrun',
      defaultPricePerGpuHour: 2.5,
      hosts: [{ name: 'box', sshAlias: 'gpu-box' }],
      hubUrl: ' https://hub.example.org ',
    };
    const { settings, problems } = readSettings({ get: <T>(key: string) => values[key] as T }, { home: '/home/ada' });
    expect(problems).toEqual([]);
    expect(settings.validation).toEqual({ maxSeqLen: 4096, tokenizer: './tok/tokenizer.json', severity: { too_long: 'error' }, debounceMs: 100 });
    expect(settings.run).toMatchObject({ pythonPath: '/home/ada/venv/bin/python', localWorkdir: '/srv/brightrun', defaultPricePerGpuHour: 2.5 });
    expect(settings.run.hosts.map((host) => host.name)).toEqual(['box']);
    expect(settings.hubUrl).toBe('https://hub.example.org');
  });

  it('reports every bad value and falls back to the defaults', () => {
    const values: Record<string, unknown> = { 'validation.maxSeqLen': 0, pythonPath: 3, defaultPricePerGpuHour: -1, hubUrl: 42 };
    const { settings, problems } = readSettings({ get: <T>(key: string) => values[key] as T }, { home: '/home/ada' });
    expect(settings.validation.maxSeqLen).toBe(SETTINGS['validation.maxSeqLen'].default);
    expect(settings.run.defaultPricePerGpuHour).toBeNull();
    expect(settings.hubUrl).toBe('');
    expect(problems).toEqual([
      'brightrun.validation.maxSeqLen must be a whole number between 1 and 1048576; using 2048.',
      'brightrun.defaultPricePerGpuHour must be a number of USD (0 or more); ignoring it.',
      'brightrun.pythonPath must be a string; ignoring it.',
      'brightrun.hubUrl must be a URL (a string); using the default Hub.',
    ]);
  });
});
