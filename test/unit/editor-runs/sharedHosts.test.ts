// The editor's hosts: $BRIGHTRUN_HOME/hosts.json (what the CLI uses) plus the brightrun.hosts setting.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readRunSettings } from '../../../src/vscode/settings';
import { sharedState, withHostsFile } from '../../../src/vscode/runs/sharedState';
import { addHostToFile, readHostsFile } from '../../../src/platform/sshHostsFile';

const source = (values: Record<string, unknown>) => ({ get: <T>(key: string) => values[key] as T | undefined });

describe("the editor's hosts and state folder", () => {
  it("uses hosts.json first, adds the setting's hosts, and reports a clash in words", () => {
    const file = join(mkdtempSync(join(tmpdir(), 'hosts-')), 'hosts.json');
    writeFileSync(file, JSON.stringify({ hosts: [{ name: 'gpu', host: 'gpu.example.com' }] }));
    const read = readRunSettings(
      source({
        hosts: [
          { name: 'gpu', host: 'elsewhere' },
          { name: 'extra', sshAlias: 'extra' },
        ],
      }),
      '/home/me',
    );
    const { settings, problems } = withHostsFile(read, file);
    expect(settings.hosts.map((h) => `${h.name}=${h.host ?? h.sshAlias}`)).toEqual(['gpu=gpu.example.com', 'extra=extra']);
    expect(problems).toEqual([expect.stringContaining(`host 'gpu' is defined both in ${file} and in the brightrun.hosts setting`)]);
  });

  it("keeps the setting's hosts and says what is wrong when hosts.json is not valid JSON", () => {
    const file = join(mkdtempSync(join(tmpdir(), 'hosts-')), 'hosts.json');
    writeFileSync(file, '{"hosts": [');
    const { settings, problems } = withHostsFile(readRunSettings(source({ hosts: [{ name: 'extra', sshAlias: 'extra' }] }), '/home/me'), file);
    expect(settings.hosts.map((h) => h.name)).toEqual(['extra']);
    expect(problems).toEqual([
      expect.stringMatching(new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')} is not valid JSON: .*its hosts are left out until it is fixed`)),
    ]);
  });

  it('passes a BRIGHTRUN_HOME it was started with on to the integrated terminals, and none otherwise', () => {
    const calls: string[] = [];
    const collection = {
      replace: (name: string, value: string) => calls.push(`replace ${name}=${value}`),
      delete: (name: string) => calls.push(`delete ${name}`),
    };
    const context = { environmentVariableCollection: collection as never };
    expect(sharedState(context, { BRIGHTRUN_HOME: '/data/brightrun' })).toEqual({
      home: '/data/brightrun',
      stateDir: '/data/brightrun/state',
      hostsFile: '/data/brightrun/hosts.json',
    });
    expect(sharedState(context, { HOME: '/home/me' }).stateDir).toMatch(/\.brightrun\/state$/);
    expect(calls).toEqual(['replace BRIGHTRUN_HOME=/data/brightrun', 'delete BRIGHTRUN_HOME']);
  });

  it('adds hosts to hosts.json (Add SSH Host): created when missing, other entries kept as written, names unique, none lost to a concurrent add', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'hosts-')), 'home', 'hosts.json');
    await addHostToFile(file, { name: 'lab', kind: 'ssh', sshAlias: 'lab' });
    writeFileSync(
      file,
      JSON.stringify({ note: 'kept', hosts: [...JSON.parse(readFileSync(file, 'utf8')).hosts, { name: 'old', host: 'old.example.com', workdir: '/data' }] }),
    );
    await Promise.all(['a', 'b', 'c', 'd'].map((name) => addHostToFile(file, { name, kind: 'ssh', host: `${name}.example.com` })));
    const written = JSON.parse(readFileSync(file, 'utf8'));
    expect(written.note).toBe('kept');
    expect(written.hosts[1]).toEqual({ name: 'old', host: 'old.example.com', workdir: '/data' });
    expect(
      readHostsFile(file)
        .map((h) => h.name)
        .sort(),
    ).toEqual(['a', 'b', 'c', 'd', 'lab', 'old']);
    await expect(addHostToFile(file, { name: 'old', kind: 'ssh', host: 'x' })).rejects.toThrow(`host 'old' is already in ${file}`);
  });
});
