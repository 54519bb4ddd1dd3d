// A run that waited in its host's queue is billed from when it left the queue, not from its launch: the wait
// holds no GPU. (The stub trainer waits with status `starting` + `queue` first, as a queued run does.)
import { describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RunRegistry } from '../../../src/core/runs';
import { validateRunConfig } from '../../../src/contracts/validateRunConfig';
import { nodeStoreFs } from '../../../src/platform/nodeStoreFs';
import { stubHosts } from './helpers/stubHost';
import { waitFor } from './helpers/waitFor';

describe('a run that waited in a queue', { timeout: 60_000 }, () => {
  it('starts its attempt, and so its cost, when it leaves the queue', async () => {
    const root = mkdtempSync(join(tmpdir(), 'queued-'));
    mkdirSync(join(root, 'data'));
    writeFileSync(join(root, 'data', 'train.jsonl'), '{"text":"hello"}\n');
    const parsed = validateRunConfig({ datasets: { train: 'data/train.jsonl' }, baseModel: 'tiny' });
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
    const hosts = stubHosts(join(root, 'host'), { STUB_QUEUED_MS: '800' }, 2);
    const registry = await RunRegistry.open({ storageDir: join(root, 'storage'), fs: nodeStoreFs, hosts, followerOptions: { statusPollMs: 50 } });
    const launched = await registry.launch({ config: parsed.config, configFile: join(root, 'demo.brightrun.json') });
    await waitFor(() => registry.get(launched.id)?.queue?.position === 1, 'the run in the queue');
    const seenQueued = Date.now();
    expect(Date.parse(registry.get(launched.id)!.startedAt)).toBeLessThan(seenQueued);

    const done = await registry.waitForEnd(launched.id);
    expect(done.state).toBe('completed');
    expect(done.queue ?? null).toBeNull();
    expect(Date.parse(done.startedAt)).toBeGreaterThanOrEqual(seenQueued);
    // The saved record says the same after a restart.
    registry.dispose();
    const reopened = await RunRegistry.open({ storageDir: join(root, 'storage'), fs: nodeStoreFs, hosts }, { attach: false });
    expect(reopened.get(launched.id)!.startedAt).toBe(done.startedAt);
    reopened.dispose();
  });
});
