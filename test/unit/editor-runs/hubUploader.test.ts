// The real @huggingface/hub client against a local server that speaks the Hub's upload API.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hubUserName, pushAdapterToHub, type HubPushProgress } from '../../../src/vscode/hub/hubUploader';
import { startFakeHub, type FakeHub } from './helpers/fakeHub';

const TOKEN = 'hf_testtoken_0123456789';
let hub: FakeHub;

function makeAdapter(withCard: boolean): { dir: string; weights: Buffer } {
  const dir = mkdtempSync(join(tmpdir(), 'brightrun-adapter-'));
  // Binary weights with NUL bytes: the Hub routes them through LFS.
  const weights = Buffer.alloc(70_000);
  for (let i = 0; i < weights.length; i++) weights[i] = (i * 31) % 256;
  writeFileSync(join(dir, 'adapter_model.safetensors'), weights);
  writeFileSync(join(dir, 'adapter_config.json'), JSON.stringify({ r: 8, lora_alpha: 16, base_model_name_or_path: 'tiny' }));
  if (withCard) writeFileSync(join(dir, 'README.md'), '---\nbase_model: tiny\n---\n# card written by the run\n');
  mkdirSync(join(dir, 'checkpoint-2'));
  writeFileSync(join(dir, 'checkpoint-2', 'optimizer.pt'), 'not for publishing');
  return { dir, weights };
}

beforeAll(async () => {
  hub = await startFakeHub({ token: TOKEN, user: 'alice' });
});
afterAll(async () => {
  await hub.close();
});

describe('pushAdapterToHub', () => {
  it("creates a private repository and uploads weights (LFS), config and the run's model card", async () => {
    const { dir, weights } = makeAdapter(true);
    const progress: HubPushProgress[] = [];
    const result = await pushAdapterToHub({
      hubUrl: hub.url,
      token: TOKEN,
      repoId: 'alice/tiny-lora-r1',
      private: true,
      adapterDir: dir,
      commitTitle: 'Add LoRA adapter from run r1',
      card: { baseModel: 'tiny', runId: 'r1' },
      onProgress: (p) => progress.push(p),
    });

    const repo = hub.repos.get('alice/tiny-lora-r1');
    expect(repo?.private).toBe(true);
    expect([...repo!.files.keys()].sort()).toEqual(['README.md', 'adapter_config.json', 'adapter_model.safetensors']);
    expect(repo!.files.get('adapter_model.safetensors')!.equals(weights)).toBe(true);
    expect(repo!.files.get('README.md')!.toString()).toContain('card written by the run');
    expect(repo!.commits).toEqual(['Add LoRA adapter from run r1']);
    expect(hub.requests).toContain('PUT /lfs-storage/' + createHash('sha256').update(weights).digest('hex'));
    expect(result).toMatchObject({ url: `${hub.url}/alice/tiny-lora-r1`, created: true });
    expect(result.commitUrl).toMatch(/\/alice\/tiny-lora-r1\/commit\//);

    expect(progress[0].stage).toBe('checking');
    expect(progress.map((p) => p.stage)).toContain('creating');
    const last = progress[progress.length - 1];
    expect(last).toMatchObject({ stage: 'done', doneBytes: last.totalBytes });
    const uploaded = progress.filter((p) => p.stage === 'uploading').map((p) => p.doneBytes);
    expect(uploaded).toContain(weights.length);
  });

  it('updates an existing repository without re-creating it, and writes a card when the run had none', async () => {
    const first = makeAdapter(false);
    await pushAdapterToHub({
      hubUrl: hub.url,
      token: TOKEN,
      repoId: 'alice/second',
      private: false,
      adapterDir: first.dir,
      commitTitle: 'first',
      card: { baseModel: 'tiny', runId: 'r2', finalEvalLoss: 2.5 },
    });
    expect(hub.repos.get('alice/second')?.private).toBe(false);
    expect(hub.repos.get('alice/second')!.files.get('README.md')!.toString()).toContain('Final eval loss: 2.5000.');

    const again = await pushAdapterToHub({
      hubUrl: hub.url,
      token: TOKEN,
      repoId: 'alice/second',
      private: true,
      adapterDir: first.dir,
      commitTitle: 'second',
      card: { baseModel: 'tiny', runId: 'r2' },
    });
    expect(again.created).toBe(false);
    expect(hub.repos.get('alice/second')!.commits).toEqual(['first', 'second']);
  });

  it('sends the token only in the Authorization header', async () => {
    expect(await hubUserName(TOKEN, hub.url)).toBe('alice');
    expect(hub.authHeaders.every((header) => header === `Bearer ${TOKEN}`)).toBe(true);
    expect(hub.requests.some((line) => line.includes(TOKEN))).toBe(false);
  });

  it("fails with the Hub's message on a bad token and uploads nothing", async () => {
    const { dir } = makeAdapter(true);
    const push = pushAdapterToHub({
      hubUrl: hub.url,
      token: 'hf_wrong',
      repoId: 'alice/never',
      private: true,
      adapterDir: dir,
      commitTitle: 'x',
      card: { baseModel: 'tiny', runId: 'r3' },
    });
    await expect(push).rejects.toThrow();
    expect(hub.repos.has('alice/never')).toBe(false);
  });

  it('refuses a folder that is not an adapter before any request', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'brightrun-empty-'));
    const before = hub.requests.length;
    await expect(
      pushAdapterToHub({
        hubUrl: hub.url,
        token: TOKEN,
        repoId: 'alice/empty',
        private: true,
        adapterDir: empty,
        commitTitle: 'x',
        card: { baseModel: 'tiny', runId: 'r4' },
      }),
    ).rejects.toThrow(/not a LoRA adapter/);
    expect(hub.requests.length).toBe(before);
  });
});
