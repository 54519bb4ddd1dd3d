import { describe, expect, it } from 'vitest';
import { adapterContextValue, adapterDescription, adaptersFromRuns, adapterTooltip, modelShortName } from '../../../src/vscode/models/adapterRef';
import { run } from './helpers/runFixture';

describe('adapters from runs', () => {
  const runs = [
    run({
      id: 'old',
      state: 'completed',
      adapterPath: '/w/runs/old/adapter',
      evalLoss: 1.2,
      endedAt: '2026-01-01T00:00:00Z',
      config: { baseModel: 'Qwen/Qwen2.5-0.5B' },
    }),
    run({
      id: 'remote',
      host: 'gpu',
      state: 'completed',
      adapterPath: '/home/u/.brightrun/runs/remote/adapter',
      evalLoss: null,
      endedAt: '2026-01-03T00:00:00Z',
    }),
    run({ id: 'new', state: 'completed', adapterPath: '/w/runs/new/adapter', evalLoss: 0.9, endedAt: '2026-01-02T00:00:00Z' }),
    run({ id: 'failed', state: 'failed', adapterPath: null }),
    run({ id: 'running' }),
  ];

  it('lists completed runs with an adapter, newest first', () => {
    expect(adaptersFromRuns(runs, new Map()).map((a) => a.runId)).toEqual(['remote', 'new', 'old']);
  });

  it('knows which copies are on this machine', () => {
    const [remote, , local] = adaptersFromRuns(runs, new Map());
    expect(local.localPath).toBe('/w/runs/old/adapter');
    expect(remote.localPath).toBeNull();
    expect(adapterContextValue(remote)).toBe('adapter:remote');
    expect(adapterContextValue(local)).toBe('adapter:local');
    const downloaded = adaptersFromRuns(runs, new Map([['remote', '/ws/.brightrun/adapters/remote']]))[0];
    expect(downloaded.localPath).toBe('/ws/.brightrun/adapters/remote');
    expect(adapterContextValue(downloaded)).toBe('adapter:remote:downloaded');
  });

  it('describes base model, eval loss and location', () => {
    const [remote, , local] = adaptersFromRuns(runs, new Map());
    expect(adapterDescription(local)).toBe('Qwen2.5-0.5B · eval loss 1.200 · local');
    expect(adapterDescription(remote)).toBe('tiny · gpu');
    expect(adapterTooltip(remote)).toContain('Not downloaded yet');
    expect(modelShortName('/models/tiny/')).toBe('tiny');
  });
});
