// Run templates from the command line, with the real trainer on the tiny model: a finished run is saved with
// `brightrun template save` (no absolute path, datasets as variables, never over an existing file unless --force),
// `brightrun train TEMPLATE` is refused while a variable is unfilled or unknown, and `--set` makes a run that the
// trainer is given exactly the settings of the first one.
import { beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { missingParts } from '../realParts';
import { PROJECT_PYTHON, tinyModelDir } from './helpers/sshRunFixture';

let project: string;
let home: string;

/** The CLI as a user runs it, in the project folder; asynchronous, so the test worker stays responsive meanwhile. */
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

function lines(file: string, n: number): string {
  return readFileSync(resolve('samples', file), 'utf8').split('\n').filter(Boolean).slice(0, n).join('\n') + '\n';
}

interface ListedRun {
  id: string;
  state: string;
  mirrorDir: string;
}

async function runs(): Promise<ListedRun[]> {
  const r = await brightrun('runs', '--json');
  expect(r.code).toBe(0);
  return JSON.parse(r.out) as ListedRun[];
}

/** What the trainer was given, without what differs from run to run by design (its id). */
function trainerConfig(run: ListedRun): Record<string, unknown> {
  const { run_id: _id, ...rest } = JSON.parse(readFileSync(join(run.mirrorDir, 'config.json'), 'utf8')) as Record<string, unknown>;
  return rest;
}

beforeAll(() => {
  if (!existsSync(PROJECT_PYTHON)) return;
  project = mkdtempSync(join(tmpdir(), 'brightrun-template-project-'));
  home = mkdtempSync(join(tmpdir(), 'brightrun-template-home-'));
  mkdirSync(join(project, 'data'));
  mkdirSync(join(project, 'configs'));
  writeFileSync(join(project, 'data', 'train.jsonl'), lines('chat-train.jsonl', 16));
  writeFileSync(join(project, 'data', 'val.jsonl'), lines('chat-val.jsonl', 4));
  // The model lives in the project, so the template can refer to it relatively.
  cpSync(tinyModelDir(), join(project, 'models', 'tiny'), { recursive: true });
  writeFileSync(
    join(project, 'configs', 'first.brightrun.json'),
    JSON.stringify({
      name: 'Tickets first try',
      datasets: { train: '../data/train.jsonl', validation: '../data/val.jsonl' },
      baseModel: '../models/tiny',
      preset: 'aggressive',
      hyperparameters: { maxSteps: 4, batchSize: 2, gradAccum: 1, learningRate: 0.002 },
      maxSeqLen: 64,
      evalEvery: 2,
      seed: 5,
      evaluate: false,
      gates: { minTokenF1: 0.25 },
      recovery: { maxAttempts: 1 },
    }),
  );
}, 120_000);

describe.skipIf(missingParts({ 'the project virtualenv (.venv)': existsSync(PROJECT_PYTHON) }))(
  'run templates on the command line',
  { timeout: 600_000 },
  () => {
    it('saves a finished run as a template and makes an identical run from it with --set', async () => {
      const first = await brightrun('train', 'configs/first.brightrun.json', '--follow');
      expect(first.out).toContain('completed');
      expect(first.code).toBe(0);
      const [run] = await runs();

      const saved = await brightrun('template', 'save', 'last', '--name', 'Tickets LoRA', '--description', 'support tickets to JSON');
      expect(saved.code).toBe(0);
      const templatePath = join(project, 'configs', 'tickets-lora.brightrun.json');
      expect(saved.out).toContain(`written to ${templatePath}`);
      expect(saved.out).toContain('--set train=... --set validation=...');
      const text = readFileSync(templatePath, 'utf8');
      // Nothing of the machine that ran it: no absolute path, no home or project folder.
      expect(text).not.toContain(project);
      expect(text).not.toContain(home);
      expect(text).not.toMatch(/"\/(?!\/)/);
      const template = JSON.parse(text) as Record<string, unknown>;
      expect(template).toMatchObject({
        template: { name: 'Tickets LoRA', description: 'support tickets to JSON', fromRun: run.id, variables: { train: {}, validation: {} } },
        name: 'Tickets first try',
        datasets: { train: '${train}', validation: '${validation}' },
        baseModel: '../models/tiny',
        preset: 'aggressive',
        hyperparameters: { maxSteps: 4, batchSize: 2, gradAccum: 1, learningRate: 0.002 },
        evaluate: false,
        gates: { minTokenF1: 0.25 },
        recovery: { enabled: true, maxAttempts: 1 },
        host: 'local',
      });

      // Never over an existing file, unless asked.
      const again = await brightrun('template', 'save', run.id, '--name', 'Tickets LoRA');
      expect(again.code).toBe(1);
      expect(again.out).toContain('exists; nothing was written');
      expect(readFileSync(templatePath, 'utf8')).toBe(text);
      expect((await brightrun('template', 'save', run.id, '--name', 'Tickets LoRA', '--force')).code).toBe(0);

      // A template with a variable left unfilled, or a value for a variable it does not have, launches nothing.
      const unfilled = await brightrun('train', templatePath, '--set', 'train=data/train.jsonl');
      expect(unfilled.code).toBe(2);
      expect(unfilled.out).toContain('is a template; fill this variable (--set NAME=VALUE):\n  validation: Validation data');
      const unknown = await brightrun('train', templatePath, '--set', 'train=data/train.jsonl', '--set', 'validation=data/val.jsonl', '--set', 'trian=x');
      expect(unknown.code).toBe(2);
      expect(unknown.out).toContain('trian: not a variable of template "Tickets LoRA" (it has train, validation)');
      const plain = await brightrun('train', 'configs/first.brightrun.json', '--set', 'train=data/train.jsonl');
      expect(plain.code).toBe(2);
      expect(plain.out).toContain('is a run config, not a template');
      expect(await runs()).toHaveLength(1);

      // Paths given with --set are from the current folder (the project), as a shell user types them.
      const second = await brightrun('train', templatePath, '--set', 'train=data/train.jsonl', '--set', 'validation=data/val.jsonl', '--follow');
      expect(second.code).toBe(0);
      const [newest, oldest] = await runs();
      expect(oldest.id).toBe(run.id);
      expect(newest.state).toBe('completed');
      expect(trainerConfig(newest)).toEqual(trainerConfig(oldest));
    });
  },
);
