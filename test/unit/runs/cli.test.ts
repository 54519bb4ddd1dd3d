// The run commands of the CLI, on the stub trainer: exit codes, messages with JSON paths, live lines, summary.
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { stubPython } from './helpers/stubHost';
import { runCli } from '../../../src/cli/dispatch';
import { requireBuiltCli, runBuiltCliSlowlyRead } from '../cli/builtCli';

const chat = JSON.stringify({
  messages: [
    { role: 'user', content: 'hi' },
    { role: 'assistant', content: 'hello there' },
  ],
});

let out: string[];
let err: string[];
beforeEach(() => {
  out = [];
  err = [];
  vi.spyOn(console, 'log').mockImplementation((...a: unknown[]) => void out.push(a.join(' ')));
  vi.spyOn(console, 'error').mockImplementation((...a: unknown[]) => void err.push(a.join(' ')));
});
afterEach(() => {
  vi.restoreAllMocks();
  vi.unstubAllEnvs();
});

async function cli(name: string, args: string[]): Promise<number> {
  return runCli([name, ...args]);
}

function project(config: Record<string, unknown>, trainText = `${chat}\n${chat.replace('hi', 'hey')}\n`) {
  const root = mkdtempSync(join(tmpdir(), 'cli-'));
  writeFileSync(join(root, 'train.jsonl'), trainText);
  const file = join(root, 'run.brightrun.json');
  writeFileSync(file, JSON.stringify({ datasets: { train: 'train.jsonl' }, baseModel: 'tiny-test', ...config }));
  vi.stubEnv('BRIGHTRUN_HOME', join(root, 'home'));
  vi.stubEnv('BRIGHTRUN_PYTHON', stubPython());
  return file;
}

describe('brightrun train / runs / logs / cancel / resume', { timeout: 30_000 }, () => {
  it('rejects an invalid config with every problem and its JSON path (exit 2)', async () => {
    const file = project({ hyperparameters: { learningRate: 'fast' }, gpus: 0 });
    expect(await cli('train', [file])).toBe(2);
    const text = err.join('\n');
    expect(text).toMatch(/\$\.hyperparameters\.learningRate/);
    expect(text).toMatch(/\$\.gpus/);
  });

  it('--dry-run prints the estimate and the resolved trainer config without launching', async () => {
    const file = project({ preset: 'conservative', hyperparameters: { loraR: 4 } });
    expect(await cli('train', [file, '--dry-run'])).toBe(0);
    const text = out.join('\n');
    expect(text).toMatch(/^Estimate: /m);
    const resolved = JSON.parse(text.slice(text.indexOf('{')));
    expect(resolved.lora.r).toBe(4);
    expect(resolved.learning_rate).toBe(1e-4);
    out.length = 0;
    expect(await cli('runs', [])).toBe(0);
    expect(out.join('\n')).toMatch(/No runs yet/);
  });

  it('launches nothing when the training data has errors (exit 1)', async () => {
    const file = project({}, '{"messages": [}\n');
    expect(await cli('train', [file])).toBe(1);
    expect(err.join('\n')).toMatch(/error\(s\); nothing was launched.*\n.*brightrun validate/);
  });

  it('follows a run with live metric lines and a final summary, then lists and replays it', async () => {
    const file = project({ pricePerGpuHour: 2 });
    expect(await cli('train', [file, '--follow'])).toBe(0);
    const text = out.join('\n');
    expect(text).toMatch(/^Estimate: \d+ steps/m);
    expect(text).toMatch(/^step 5\/5 {2}loss 0\.4000 {2}lr 1\.00e-4 {2}1000 tok\/s {2}cost \$\d+\.\d\d$/m);
    expect(text).toMatch(/Run \d{8}-\d{6}-[0-9a-f]{6} completed on local: step 5\/5/);
    expect(text).toMatch(/AutoPeftModelForCausalLM\.from_pretrained\(".*adapter"\)/);

    out.length = 0;
    expect(await cli('runs', [])).toBe(0);
    expect(out.join('\n')).toMatch(/RUN +HOST +STATE[\s\S]*local +completed +5\/5/);
    out.length = 0;
    expect(await cli('logs', ['last'])).toBe(0);
    expect(out.filter((l) => l.startsWith('step '))).toHaveLength(5);
    out.length = 0;
    expect(await cli('cancel', ['last'])).toBe(0);
    expect(out.join('\n')).toMatch(/was not running/);
    expect(await cli('resume', ['last'])).toBe(1);
    expect(err.join('\n')).toMatch(/already completed/);
    expect(await cli('logs', ['no-such-run'])).toBe(2);

    out.length = 0;
    expect(await cli('runs', ['--remove', 'last'])).toBe(0);
    expect(out.join('\n')).toMatch(/Removed run \d{8}-\d{6}-[0-9a-f]{6} from the list \(its folder on local is kept/);
    out.length = 0;
    expect(await cli('runs', [])).toBe(0);
    expect(out.join('\n')).toMatch(/No runs yet/);
    expect(await cli('runs', ['--remove', 'no-such-run'])).toBe(2);
  });
});

/** A trainer that finishes at once after a long history: `steps` metrics events, a log event and a trainer.log
 *  that both try to retitle the terminal (OSC 0) and clear it (CSI 2J). */
function chattyPython(steps: number): string {
  const dir = mkdtempSync(join(tmpdir(), 'chatty-python-'));
  const script = join(dir, 'trainer.mjs');
  writeFileSync(
    script,
    `
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
const runDir = process.argv[process.argv.indexOf('--run-dir') + 1];
const total = ${steps};
let seq = 0;
const event = (type, fields) => JSON.stringify({ v: 1, seq: ++seq, ts: new Date().toISOString(), type, ...fields });
const lines = [event('stage', { name: 'training' })];
for (let step = 1; step <= total; step++) {
  lines.push(event('metrics', { step, total_steps: total, epoch: step / total, loss: 1 / step, learning_rate: 1e-4, tokens_per_s: 1000, samples_per_s: 10 }));
}
lines.push(event('log', { level: 'warning', message: 'tokenizer says \\u001b]0;pwned\\u0007 and \\u001b[2J\\nfake: done' }));
lines.push(event('done', { state: 'completed', adapter: join(runDir, 'adapter'), summary: { steps: total, total_tokens: total, wall_s: 1, tokens_per_s: 1000, final_loss: 1 / total, final_eval_loss: null } }));
writeFileSync(join(runDir, 'trainer.log'), 'loading\\n\\u001b]0;title\\u0007progress \\u009b31m50%\\r\\nend\\n');
writeFileSync(join(runDir, 'events.jsonl'), lines.join('\\n') + '\\n');
writeFileSync(join(runDir, 'status.json'), JSON.stringify({ state: 'completed', pid: process.pid, pgid: process.pid, step: total, total_steps: total, updated_at: new Date().toISOString(), exit_reason: null }));
`,
  );
  const python = join(dir, 'python');
  writeFileSync(python, `#!/bin/sh\nexec "${process.execPath}" "${script}" "$@"\n`);
  chmodSync(python, 0o755);
  return python;
}

describe('the built CLI (dist/cli.js) read through a slow pipe', { timeout: 120_000 }, () => {
  beforeAll(requireBuiltCli);

  it('hands over the whole of `logs` and `runs --json` (far more than a pipe holds), trainer text made visible', async () => {
    const steps = 20_000;
    const file = project({});
    vi.stubEnv('BRIGHTRUN_PYTHON', chattyPython(steps));
    expect(await cli('train', [file, '--follow'])).toBe(0);

    const logs = await runBuiltCliSlowlyRead(['logs', 'last']);
    expect(logs.status, logs.stderr).toBe(0);
    expect(logs.stdout.length).toBeGreaterThan(1 << 20);
    expect(logs.stdout.split('\n').filter((l) => l.startsWith('step '))).toHaveLength(steps);
    expect(logs.stdout).toMatch(/^Run \S+ completed on local: step 20000\/20000/m);
    // What the trainer wrote is shown, with its escape sequences and line breaks made visible.
    // eslint-disable-next-line no-control-regex
    const raw = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/;
    expect(logs.stdout).not.toMatch(raw);
    expect(logs.stdout).toContain('[warning] tokenizer says \\x1b]0;pwned\\x07 and \\x1b[2J\\nfake: done');
    expect(logs.stdout).not.toMatch(/^fake: done/m);
    const trainerLog = await runBuiltCliSlowlyRead(['logs', 'last', '--trainer-log']);
    expect(trainerLog.status, trainerLog.stderr).toBe(0);
    expect(trainerLog.stdout).toBe('loading\n\\x1b]0;title\\x07progress \\u009b31m50%\\r\nend\n');

    // Many runs: the one above, recorded again under other ids, as a long-used machine would hold.
    const index = join(process.env.BRIGHTRUN_HOME!, 'state', 'runs.json');
    const { runs } = JSON.parse(readFileSync(index, 'utf8'));
    const older = Array.from({ length: 1500 }, (_, i) => {
      const id = `20200101-000000-${i.toString(16).padStart(6, '0')}`;
      return { ...runs[0], id, runDir: join(dirname(runs[0].runDir), id) };
    });
    writeFileSync(index, JSON.stringify({ v: 1, runs: [runs[0], ...older] }));
    const list = await runBuiltCliSlowlyRead(['runs', '--json']);
    expect(list.status, list.stderr).toBe(0);
    expect(list.stdout.length).toBeGreaterThan(1 << 20);
    expect(JSON.parse(list.stdout)).toHaveLength(1501);
  });
});
