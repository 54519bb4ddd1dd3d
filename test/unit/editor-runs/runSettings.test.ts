import { describe, expect, it } from 'vitest';
import { readRunSettings } from '../../../src/vscode/settings';
import { preflightViewFromReport } from '../../../src/vscode/runs/preflightView';
import { PreflightView } from '../../../src/shared/launchProtocol';

const source = (values: Record<string, unknown>) => ({ get: <T>(key: string) => values[key] as T | undefined });

describe('readRunSettings', () => {
  it('applies defaults', () => {
    const { settings, problems } = readRunSettings(source({}), '/home/me');
    expect(settings).toEqual({ pythonPath: '', localWorkdir: '/home/me/.brightrun', defaultPricePerGpuHour: null, hosts: [] });
    expect(problems).toEqual([]);
  });

  it('reads hosts with the engine schema and expands ~', () => {
    const { settings } = readRunSettings(
      source({ pythonPath: '~/venv/bin/python', hosts: [{ name: 'gpu', sshAlias: 'gpu-box' }], defaultPricePerGpuHour: 1.5 }),
      '/home/me',
    );
    expect(settings.pythonPath).toBe('/home/me/venv/bin/python');
    expect(settings.hosts[0]).toMatchObject({ name: 'gpu', kind: 'ssh', sshAlias: 'gpu-box' });
    expect(settings.defaultPricePerGpuHour).toBe(1.5);
  });

  it('reports bad values and keeps going', () => {
    const { settings, problems } = readRunSettings(source({ hosts: [{ name: 'bad name!' }], defaultPricePerGpuHour: -1, pythonPath: 3 }), '/h');
    expect(settings.hosts).toEqual([]);
    expect(problems).toHaveLength(3);
    expect(problems.join('\n')).toMatch(/hosts/);
  });
});

describe('preflightViewFromReport', () => {
  it('turns problems and facts into checks the form shows', () => {
    const view = preflightViewFromReport(
      {
        host: 'gpu',
        ok: false,
        gpuName: 'NVIDIA A10G',
        gpuCount: 1,
        problems: [{ kind: 'disk', severity: 'error', message: 'only 2 GB free in ~/.brightrun', hint: 'Free some space.' }],
        facts: ['Python: 3.11.4', 'GPU: 1 x NVIDIA A10G 24 GB'],
        raw: { gpus: [{ name: 'NVIDIA A10G', memory_gb: 24 }] },
      },
      '2026-11-24T08:00:00Z',
    );
    expect(PreflightView.safeParse(view).success).toBe(true);
    expect(view.ok).toBe(false);
    expect(view.summary).toBe('only 2 GB free in ~/.brightrun');
    expect(view.checks[0]).toEqual({ name: 'disk', status: 'error', detail: 'only 2 GB free in ~/.brightrun Free some space.' });
    expect(view.checks[1]).toEqual({ name: 'Python', status: 'ok', detail: '3.11.4' });
    expect(view.gpus).toEqual([{ name: 'NVIDIA A10G', memoryGb: 24 }]);
  });
});
