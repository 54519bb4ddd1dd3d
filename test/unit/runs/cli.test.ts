// The run commands of the CLI, on the stub trainer: exit codes, messages with JSON paths, live lines, summary.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stubPython } from './helpers/stubHost';

const chat = JSON.stringify({ messages: [{ role: 'user', content: 'hi' }, { role: 'assistant', content: 'hello there' }] });

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
  const { command } = await import(`../../../src/cli/${name}.ts`);
  return command.run(args);
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
    expect(text).toMatch(/^step 5\/5  loss 0\.4000  lr 1\.00e-4  1000 tok\/s  cost \$\d+\.\d\d$/m);
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
