// The launch form's webview names the config file in its save and launch messages and in the state it saves for
// a reload; the host writes only the panel's own *.brightrun.json, whatever path arrives.
import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ownSavePath, restorableConfigPath } from '../../../src/vscode/panels/launchLogic';

const isFile = (path: string) => statSync(path, { throwIfNoEntry: false })?.isFile() ?? false;

describe('the config file a launch form may write', () => {
  it('is the panel’s own file, or a new one the user picks when the form has none yet', () => {
    expect(ownSavePath('/ws/run.brightrun.json', '/ws/run.brightrun.json')).toEqual({ ok: true, path: '/ws/run.brightrun.json' });
    expect(ownSavePath('/ws/sub/../run.brightrun.json', '/ws/run.brightrun.json')).toEqual({ ok: true, path: '/ws/run.brightrun.json' });
    expect(ownSavePath(null, '/ws/run.brightrun.json')).toEqual({ ok: true, path: '/ws/run.brightrun.json' });
    expect(ownSavePath(null, null)).toEqual({ ok: true, path: null });
  });

  it('refuses any other path the webview names', () => {
    const other = ownSavePath('/home/me/.bashrc', '/ws/run.brightrun.json');
    expect(other).toEqual({ ok: false, error: 'Not saved: the form asked to write /home/me/.bashrc, which is not its config file (/ws/run.brightrun.json).' });
    expect(ownSavePath('/ws/other.brightrun.json', null)).toMatchObject({ ok: false, error: expect.stringMatching(/none yet/) });
  });

  it('restores only an absolute path to an existing *.brightrun.json file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'launch-restore-'));
    const config = join(dir, 'run.brightrun.json');
    writeFileSync(config, '{}');
    writeFileSync(join(dir, 'notes.txt'), '');
    expect(restorableConfigPath(config, isFile)).toBe(config);
    expect(restorableConfigPath(join(dir, 'notes.txt'), isFile)).toBeNull();
    expect(restorableConfigPath(join(dir, 'gone.brightrun.json'), isFile)).toBeNull();
    expect(restorableConfigPath('run.brightrun.json', isFile)).toBeNull();
    expect(restorableConfigPath(dir, isFile)).toBeNull();
    expect(restorableConfigPath(42, isFile)).toBeNull();
    expect(restorableConfigPath(`${config}\0`, isFile)).toBeNull();
  });
});
