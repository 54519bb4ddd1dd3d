// A DPO run over SSH end to end with the real trainer on the tiny model: the preference pairs are uploaded, the
// trainer's preference metrics reach the local mirror while the run trains (followed live over the loopback
// sshd), and the run completes with every event once and the held-out preference metrics in its evals.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { missingParts } from '../realParts';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { knownHostsEntry, sshdAvailable, startSshd, type TestSshd } from './helpers/sshd';
import { HOST, hostSettings, mirrorSeqs, openRegistry, PROJECT_PYTHON, range, runConfig } from './helpers/sshRunFixture';

let sshd: TestSshd;
let workdir: string;

beforeAll(async () => {
  sshd = await startSshd();
  writeFileSync(sshd.knownHosts, knownHostsEntry(sshd));
  workdir = join(mkdtempSync(join(tmpdir(), 'brightrun-ssh-dpo-')), 'work');
});
afterAll(async () => {
  await sshd?.stop();
});

/** The first lines of the preference sample (prompt, chosen, rejected pairs). */
function preferenceDatasets(trainLines = 32, valLines = 8) {
  const root = mkdtempSync(join(tmpdir(), 'brightrun-dpo-project-'));
  mkdirSync(root, { recursive: true });
  const pick = (file: string, n: number) =>
    readFileSync(resolve('samples', 'preference', file), 'utf8')
      .split('\n')
      .filter(Boolean)
      .slice(0, n)
      .join('\n') + '\n';
  const train = join(root, 'pairs-train.jsonl');
  const validation = join(root, 'pairs-val.jsonl');
  writeFileSync(train, pick('train.jsonl', trainLines));
  writeFileSync(validation, pick('val.jsonl', valLines));
  return { train, validation, root };
}

type Event = Record<string, unknown> & { type: string; seq: number };

function mirrorEvents(mirrorDir: string): Event[] {
  const file = join(mirrorDir, 'events.jsonl');
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Event);
}

const PREFERENCE_METRICS = ['reward_chosen', 'reward_rejected', 'reward_margin', 'preference_accuracy', 'logps_chosen', 'logps_rejected'];

describe.skipIf(missingParts({ sshd: sshdAvailable, 'the project virtualenv (.venv)': existsSync(PROJECT_PYTHON) }))(
  'DPO over SSH',
  { timeout: 300_000 },
  () => {
    it('follows the preference metrics live to completion, every event once', async () => {
      const data = preferenceDatasets();
      const { config, configFile } = runConfig(data, {
        method: 'dpo',
        preference: { beta: 0.2, lossType: 'sigmoid' },
        hyperparameters: { maxSteps: 8, batchSize: 4, gradAccum: 1, learningRate: 0.001 },
      });
      const storage = mkdtempSync(join(tmpdir(), 'brightrun-storage-'));
      const { registry, hosts } = await openRegistry(sshd, hostSettings(sshd, workdir), storage);
      const launched = await registry.launch({ config, configFile });
      expect(launched.host).toBe(HOST);

      // What the editor sees while the run is still going: the mirror, read at each change the follower reports.
      const liveSteps = new Set<number>();
      registry.onDidChange((change) => {
        if (change.run.id !== launched.id || change.run.state !== 'running') return;
        for (const event of mirrorEvents(change.run.mirrorDir)) {
          if (event.type === 'metrics' && typeof event.preference_accuracy === 'number') liveSteps.add(event.step as number);
        }
      });
      const done = await registry.waitForEnd(launched.id);
      expect(done.state).toBe('completed');
      expect(done.step).toBe(8);
      expect(liveSteps.size).toBeGreaterThan(0);

      const events = mirrorEvents(done.mirrorDir);
      expect(events.map((e) => e.seq)).toEqual(range(events.length));
      expect(mirrorSeqs(done.mirrorDir).length).toBe(readFileSync(join(launched.runDir, 'events.jsonl'), 'utf8').trim().split('\n').length);
      const metrics = events.filter((e) => e.type === 'metrics');
      expect(metrics.map((m) => m.step)).toEqual(range(8));
      for (const m of metrics) {
        for (const field of PREFERENCE_METRICS) expect(typeof m[field], `${field} at step ${m.step}`).toBe('number');
        expect(m.reward_margin as number).toBeCloseTo((m.reward_chosen as number) - (m.reward_rejected as number), 5);
        // ORPO's own terms belong to ORPO runs only.
        expect(m.or_loss).toBeUndefined();
      }
      const evals = events.filter((e) => e.type === 'eval');
      expect(evals.length).toBeGreaterThan(0);
      for (const e of evals) {
        expect(typeof e.reward_margin).toBe('number');
        expect(e.preference_accuracy as number).toBeGreaterThanOrEqual(0);
      }
      // The trainer on the host got the method and its settings as written.
      const remoteConfig = JSON.parse(readFileSync(join(launched.runDir, 'config.json'), 'utf8'));
      expect(remoteConfig.method).toBe('dpo');
      expect(remoteConfig.preference).toMatchObject({ beta: 0.2, lossType: 'sigmoid' });
      expect(existsSync(join(launched.runDir, 'adapter', 'adapter_model.safetensors'))).toBe(true);
      registry.dispose();
      hosts.dispose();
    });
  },
);
