// `brightrun train --follow` with TensorBoard on, the real trainer on the tiny model: the follow output says where
// the metrics go (the log folder and the command that opens it), and that folder in the run holds TensorBoard's
// event files. (The trackers' own contents are checked in python/tests/test_trackers.py.)
import { beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { missingParts } from '../realParts';
import { PROJECT_PYTHON, tinyModelDir } from './helpers/sshRunFixture';

let project: string;
let home: string;

function brightrun(...args: string[]): Promise<{ code: number | null; out: string }> {
  const child = spawn(process.execPath, [resolve('node_modules/tsx/dist/cli.mjs'), resolve('src/cli/main.ts'), ...args], {
    cwd: project,
    env: { ...process.env, BRIGHTRUN_HOME: home, BRIGHTRUN_PYTHON: PROJECT_PYTHON },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
  child.stderr.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
  return new Promise((done) => child.on('close', (code) => done({ code, out })));
}

beforeAll(() => {
  if (!existsSync(PROJECT_PYTHON)) return;
  project = mkdtempSync(join(tmpdir(), 'brightrun-tracking-project-'));
  home = mkdtempSync(join(tmpdir(), 'brightrun-tracking-home-'));
  const train = readFileSync(resolve('samples', 'chat-train.jsonl'), 'utf8').split('\n').filter(Boolean).slice(0, 12).join('\n') + '\n';
  writeFileSync(join(project, 'train.jsonl'), train);
  writeFileSync(
    join(project, 'tracked.brightrun.json'),
    JSON.stringify({
      name: 'tracked',
      datasets: { train: 'train.jsonl' },
      baseModel: tinyModelDir(),
      hyperparameters: { maxSteps: 3, batchSize: 2 },
      maxSeqLen: 64,
      validationSplit: 0,
      evaluate: false,
      tracking: { tensorboard: true },
    }),
  );
}, 120_000);

describe.skipIf(missingParts({ 'the project virtualenv (.venv)': existsSync(PROJECT_PYTHON) }))('tracking from the command line', () => {
  it('follows a run that writes TensorBoard files and prints where they are', { timeout: 300_000 }, async () => {
    const r = await brightrun('train', 'tracked.brightrun.json', '--follow');
    expect(r.code, r.out).toBe(0);
    // `tensorboard` when it is on PATH, else through the trainer's Python.
    const line = /^tracking: TensorBoard (\S+) {2}\((?:tensorboard|\S+ -m tensorboard\.main) --logdir (\S+)\)$/m.exec(r.out);
    expect(line, r.out).not.toBeNull();
    const logdir = line![1];
    expect(line![2]).toBe(logdir);
    expect(logdir.endsWith('/tensorboard')).toBe(true);
    expect(readdirSync(logdir).some((name) => name.startsWith('events.out.tfevents.'))).toBe(true);
    expect(r.out).toMatch(/^done: completed after 3 steps/m);
  });
});
