// The launch form's base model suggestions: what the host makes of `list-models` output (bad output gives none,
// never a throw), and the real trainer listed through the local session, with the system Python and without
// setting up any environment.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createLocalSession } from '../../../src/platform/localSession';
import { modelSuggestionsFromOutput } from '../../../src/vscode/panels/launchLogic';

const ok = (stdout: string) => ({ code: 0, stdout, stderr: '' });
const tiny = { name: 'tiny', baseModel: '/ws/.cache/models/tiny', source: 'project', modelType: 'llama' };

describe('modelSuggestionsFromOutput', () => {
  it('offers the listed models, each baseModel once', () => {
    const hub = { name: 'Qwen/Qwen2.5-0.5B', baseModel: 'Qwen/Qwen2.5-0.5B', source: 'hf-cache', modelType: null };
    expect(modelSuggestionsFromOutput(ok(JSON.stringify([tiny, hub, tiny])))).toEqual({ models: [tiny, hub] });
    expect(modelSuggestionsFromOutput(ok('[]'))).toEqual({ models: [] });
  });

  it('gives no suggestions, and says why, for a failed run, output that is not JSON or not a list', () => {
    for (const run of [
      { code: 1, stdout: '', stderr: 'ModuleNotFoundError: No module named brightrun_trainer' },
      ok('Traceback (most recent call last):'),
      ok(''),
      ok('{"name": "tiny"}'),
      ok('null'),
    ]) {
      const found = modelSuggestionsFromOutput(run);
      expect(found.models, run.stdout).toEqual([]);
      expect(found.problem, run.stdout).toMatch(/list-models/);
    }
    expect(modelSuggestionsFromOutput({ code: 1, stdout: '', stderr: 'No module named brightrun_trainer' }).problem).toContain(
      'No module named brightrun_trainer',
    );
  });

  it('leaves out entries that do not fit or that the run config would refuse, keeping the others', () => {
    const entries = [tiny, null, 'x', { name: 'no path' }, { ...tiny, baseModel: '/models/$(id)', name: 'shell' }, { ...tiny, modelType: 3 }];
    const found = modelSuggestionsFromOutput(ok(JSON.stringify(entries)));
    expect(found.models).toEqual([tiny]);
    expect(found.problem).toContain('5 entries left out');
  });
});

describe('the local session lists the models on this machine', () => {
  const made: string[] = [];
  afterEach(() => {
    for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  it("runs the trainer's list-models with the system Python, whose output the form offers", async () => {
    const project = mkdtempSync(join(tmpdir(), 'brightrun-models-'));
    made.push(project);
    const model = join(project, '.cache', 'models', 'my-tiny-model');
    mkdirSync(model, { recursive: true });
    writeFileSync(join(model, 'config.json'), JSON.stringify({ model_type: 'llama' }));
    writeFileSync(join(model, 'tokenizer.json'), '{}');
    mkdirSync(join(project, '.cache', 'models', 'not-a-model'));

    const session = createLocalSession({
      workdir: join(project, 'work'),
      trainerDir: resolve('python'),
      basePython: 'python3',
      envsDir: join(project, 'envs'),
    });
    const found = modelSuggestionsFromOutput(await session.listModels(project));
    expect(found.problem).toBeUndefined();
    expect(found.models[0]).toEqual({ name: 'my-tiny-model', baseModel: model, source: 'project', modelType: 'llama' });
    expect(found.models.map((m) => m.name)).not.toContain('not-a-model');
  });
});
