import { describe, expect, it } from 'vitest';
import { aliasHostSettings, parseHostsList } from '../../../src/core/hosts/hostSettings';

describe('host settings', () => {
  it('fills defaults: workdir ~/.brightrun, python3, a managed environment, no price', () => {
    expect(parseHostsList({ hosts: [{ name: 'gpu', host: '10.0.0.5' }] }, 'hosts.json')[0]).toEqual({
      name: 'gpu',
      kind: 'ssh',
      host: '10.0.0.5',
      workdir: '~/.brightrun',
      python: 'python3',
      manageEnv: true,
      systemSitePackages: false,
      pricePerGpuHour: null,
    });
    expect(aliasHostSettings('box')).toMatchObject({ name: 'box', sshAlias: 'box', kind: 'ssh' });
  });

  it('reports every problem with its path', () => {
    expect(() => parseHostsList([{ name: 'bad name', port: 0 }, { name: 'ok' }], 'settings')).toThrow(
      /Invalid host settings in settings:\n {2}hosts\.0\.name: .*\n {2}hosts\.0\.port: .*\n/s,
    );
    expect(() => parseHostsList([{ name: 'x' }], 'settings')).toThrow(/hosts\.0\.host: An SSH host needs either "sshAlias"/);
  });

  it('refuses duplicate names', () => {
    expect(() =>
      parseHostsList(
        [
          { name: 'a', host: 'h' },
          { name: 'a', host: 'h2' },
        ],
        'hosts.json',
      ),
    ).toThrow(/defined twice/);
  });
});
