// A project and an SSH host for end-to-end runs: the real trainer on a tiny model (made once per process with
// the trainer's own make-tiny-model), small datasets, and a run registry whose non-local hosts go over SSH.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { HostRegistry, RunRegistry } from '../../../src/core/runs';
import { HostSettings, type HostSettingsInput } from '../../../src/core/hosts/hostSettings';
import { validateRunConfig } from '../../../src/contracts/validateRunConfig';
import { nodeStoreFs } from '../../../src/platform/nodeStoreFs';
import { createLocalSession } from '../../../src/platform/localSession';
import { findTrainerSourceDir } from '../../../src/platform/hostEnvironment';
import { sshSessionFactory } from '../../../src/platform/sshHostFactory';
import type { TestSshd } from './sshd';

export const PROJECT_PYTHON = resolve('.venv/bin/python');
export const HOST = 'gpu-box';

let tinyModel: string | null = null;

/** The trainer's deterministic tiny model (random weights, local tokenizer), built once per test process. */
export function tinyModelDir(): string {
  if (tinyModel) return tinyModel;
  const dir = join(mkdtempSync(join(tmpdir(), 'brightrun-tiny-')), 'model');
  execFileSync(PROJECT_PYTHON, ['-m', 'brightrun_trainer', 'make-tiny-model', dir], {
    env: { ...process.env, PYTHONPATH: findTrainerSourceDir() },
    stdio: 'pipe',
  });
  tinyModel = dir;
  return dir;
}

/** A folder holding a few lines of the bundled sample data, under a name no shell should interpret. */
export function smallDatasets(folderName: string, trainLines = 24, valLines = 6): { train: string; validation: string; root: string } {
  const root = join(mkdtempSync(join(tmpdir(), 'brightrun-project-')), folderName);
  mkdirSync(root, { recursive: true });
  const pick = (file: string, n: number) => readFileSync(resolve('samples', file), 'utf8').split('\n').filter(Boolean).slice(0, n).join('\n') + '\n';
  const train = join(root, `train ${"it's"} $(date) \`id\`.jsonl`);
  const validation = join(root, 'val\nnewline.jsonl');
  writeFileSync(train, pick('chat-train.jsonl', trainLines));
  writeFileSync(validation, pick('chat-val.jsonl', valLines));
  return { train, validation, root };
}

export function runConfig(data: { train: string; validation: string; root: string }, extra: Record<string, unknown> = {}) {
  const configFile = join(data.root, 'run.brightrun.json');
  const parsed = validateRunConfig({
    datasets: { train: data.train, validation: data.validation },
    baseModel: tinyModelDir(),
    host: HOST,
    maxSeqLen: 64,
    evalEvery: 4,
    checkpointEvery: 4,
    hyperparameters: { maxSteps: 8, batchSize: 2, gradAccum: 1, learningRate: 0.001 },
    ...extra,
  });
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
  writeFileSync(configFile, JSON.stringify(parsed.config));
  return { config: parsed.config, configFile };
}

export function hostSettings(sshd: TestSshd, workdir: string, extra: Partial<HostSettingsInput> = {}): HostSettings {
  return HostSettings.parse({ name: HOST, sshAlias: sshd.alias, workdir, python: PROJECT_PYTHON, manageEnv: false, ...extra });
}

export function sshOptions(sshd: TestSshd) {
  return { sshConfigPath: sshd.sshConfig, knownHostsFiles: [sshd.knownHosts], agentSocket: null };
}

export async function openRegistry(sshd: TestSshd, settings: HostSettings, storageDir: string) {
  if (!existsSync(storageDir)) mkdirSync(storageDir, { recursive: true });
  const hosts = new HostRegistry({
    local: async () => createLocalSession({ workdir: join(storageDir, 'local'), trainerDir: findTrainerSourceDir(), python: PROJECT_PYTHON }),
    remote: sshSessionFactory(() => [settings], sshOptions(sshd)),
  });
  const registry = await RunRegistry.open(
    { storageDir, fs: nodeStoreFs, hosts, followerOptions: { statusPollMs: 200 }, cancelGraceMs: 30_000 },
    { attach: true },
  );
  return { registry, hosts };
}

/** The mirror's events.jsonl as sequence numbers, to check that each one is there exactly once. */
export function mirrorSeqs(mirrorDir: string): number[] {
  return readFileSync(join(mirrorDir, 'events.jsonl'), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => (JSON.parse(line) as { seq: number }).seq);
}

export const range = (n: number) => Array.from({ length: n }, (_, i) => i + 1);
