// @vitest-environment jsdom
import { afterEach, describe, expect, it } from 'vitest';
import { act, cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { LaunchApp } from '../../webview/src/launch/App';
import { brokenConfig, launchInit } from '../../webview/preview/scenarios';
import type { LaunchPersistedState } from '../../src/shared/launchProtocol';
import { hostSends, lastPosted, recordingApi, type RecordingApi } from './helpers';

afterEach(cleanup);

function mount(state?: LaunchPersistedState) {
  const api = recordingApi<LaunchPersistedState>(state);
  render(<LaunchApp api={api} estimateDelayMs={0} />);
  return api;
}

/** Types into a vscode-textfield the way a user does: new value, then an input event. */
function typeInto(field: string, text: string) {
  const element = screen.getByTestId(`input-${field}`) as HTMLInputElement;
  act(() => {
    element.value = text;
    element.dispatchEvent(new Event('input', { bubbles: true }));
  });
}

/** The option a vscode-single-select shows, once it has read its options (they arrive with a slotchange). */
async function selected(field: string, value: string) {
  await waitFor(() => expect((screen.getByTestId(`input-${field}`) as HTMLSelectElement).value).toBe(value));
}

/** Picks an option of a vscode-single-select as a user does: once its options are read, the new value and a change event. */
async function choose(field: string, value: string) {
  const element = screen.getByTestId(`input-${field}`) as HTMLSelectElement;
  await waitFor(() => expect(element.options.length).toBeGreaterThan(0));
  act(() => {
    element.value = value;
    element.dispatchEvent(new Event('change', { bubbles: true }));
  });
}

function posted(api: RecordingApi<LaunchPersistedState>, type: string) {
  return api.posted.filter((m) => m.type === type);
}

describe('launch form', () => {
  it('asks for its initial values on mount and shows the datasets with their statistics', () => {
    const api = mount();
    expect(api.posted[0]).toEqual({ type: 'ready' });
    hostSends(launchInit());
    expect(screen.getByTestId('stats-data/support-train.jsonl').textContent).toContain('3,200 examples');
    expect(screen.getByTestId('stats-data/support-val.jsonl').textContent).toContain('200 examples');
    expect((screen.getByTestId('input-baseModel') as HTMLInputElement).value).toBe('Qwen/Qwen2.5-1.5B-Instruct');
  });

  it('says why a dataset has no statistics when the validator gave up on it, instead of "Validating…" forever', () => {
    mount();
    const init = launchInit();
    hostSends({
      ...init,
      datasets: [
        {
          path: 'data/support-train.jsonl',
          label: 'data/support-train.jsonl',
          stats: null,
          unavailable: 'Summarising this file in the background took longer than its time budget.',
        },
        { path: 'data/support-val.jsonl', label: 'data/support-val.jsonl', stats: null },
      ],
    });
    expect(screen.getByTestId('stats-data/support-train.jsonl').textContent).toContain('longer than its time budget');
    expect(screen.getByTestId('stats-data/support-val.jsonl').textContent).toBe('Validating…');
  });

  it("shows a preference dataset's pair statistics", () => {
    mount();
    const init = launchInit();
    const [train, val] = init.datasets;
    const preference = {
      pairs: 240,
      promptTokens: { p50: 29, p95: 33, max: 34 },
      chosenTokens: { p50: 22, p95: 24, max: 24 },
      rejectedTokens: { p50: 22, p95: 46, max: 58 },
      chosenLongerShare: 0.68,
    };
    hostSends({ ...init, datasets: [{ ...train, stats: { ...train.stats!, format: 'pairs', preference } }, val] });
    expect(screen.getByTestId('stats-data/support-train.jsonl').textContent).toContain(
      '240 pairs · prompt p50 29 · chosen/rejected p50 22/22 · chosen longer in 68%',
    );
    expect(screen.getByTestId('stats-data/support-val.jsonl').textContent).not.toContain('pairs');
  });

  it('shows the schema message at a field with a wrong value', () => {
    mount();
    hostSends(launchInit());
    typeInto('hyperparameters.learningRate', 'fast');
    expect(screen.getByTestId('error-hyperparameters.learningRate').textContent).toContain('Enter a number.');
    typeInto('hyperparameters.loraDropout', '2');
    expect(screen.getByTestId('error-hyperparameters.loraDropout').textContent).toMatch(/0\.9/);
    typeInto('hyperparameters.learningRate', '3e-4');
    expect(screen.queryByTestId('error-hyperparameters.learningRate')).toBeNull();
  });

  it('shows the mistakes of a config file as soon as it opens in the form', () => {
    mount();
    hostSends({ ...launchInit(), config: brokenConfig() });
    expect(screen.getByTestId('error-hyperparameters.learningRate').textContent).toMatch(/1/);
    expect(screen.getByTestId('error-hyperparameters.epochs').textContent).toContain('Enter a number.');
    expect(screen.getByTestId('error-gpus')).toBeTruthy();
    expect(screen.getByTestId('estimate').textContent).toContain('Fix the highlighted fields');
  });

  it('does not launch an invalid config and shows every problem', async () => {
    const api = mount();
    hostSends({ ...launchInit(), config: { datasets: {}, baseModel: '', preset: 'balanced', host: 'local' } });
    fireEvent.click(await screen.findByRole('button', { name: /Launch/ }));
    expect(posted(api, 'launch')).toHaveLength(0);
    expect(screen.getByTestId('error-baseModel').textContent).toContain('Required.');
    expect(screen.getByTestId('error-datasets.train').textContent).toContain('Required.');
    expect(screen.getByTestId('outcome').textContent).toMatch(/Fix the 2 highlighted fields/);
  });

  it('requests estimates with fresh ids and ignores answers to superseded requests', async () => {
    const api = mount();
    hostSends(launchInit());
    await waitFor(() => expect(posted(api, 'estimate')).toHaveLength(1));
    const first = posted(api, 'estimate')[0];
    typeInto('hyperparameters.epochs', '3');
    await waitFor(() => expect(posted(api, 'estimate')).toHaveLength(2));
    const second = posted(api, 'estimate')[1];
    expect(second.requestId).not.toBe(first.requestId);
    expect((second.config as { hyperparameters: { epochs: number } }).hyperparameters.epochs).toBe(3);

    const answer = (requestId: unknown, steps: number) =>
      hostSends({ type: 'estimateResult', requestId, estimate: { steps, duration_s: 60, cost_usd: 0.5, basis: 'test' } });
    answer(first.requestId, 111);
    expect(screen.queryByTestId('estimate-steps')).toBeNull();
    answer(second.requestId, 222);
    expect(screen.getByTestId('estimate-steps').textContent).toBe('222');
    answer(first.requestId, 111);
    expect(screen.getByTestId('estimate-steps').textContent).toBe('222');
  });

  it("asks for the estimate again when the training file's statistics arrive", async () => {
    const api = mount();
    const init = launchInit();
    hostSends({ ...init, datasets: init.datasets.map((d) => ({ ...d, stats: null })) });
    await waitFor(() => expect(posted(api, 'estimate')).toHaveLength(1));
    hostSends({
      type: 'estimateResult',
      requestId: posted(api, 'estimate')[0].requestId,
      estimate: null,
      error: 'No statistics for data/support-train.jsonl yet',
    });
    hostSends({ type: 'datasets', datasets: init.datasets });
    await waitFor(() => expect(posted(api, 'estimate')).toHaveLength(2));
    expect(posted(api, 'estimate')[1].config).toEqual(posted(api, 'estimate')[0].config);
  });

  it('posts the config on Launch and shows the problems the host reports at their fields', async () => {
    const api = mount();
    hostSends(launchInit());
    fireEvent.click(await screen.findByRole('button', { name: /Launch/ }));
    const request = lastPosted(api, 'launch');
    expect(request).toMatchObject({ configPath: null, config: { baseModel: 'Qwen/Qwen2.5-1.5B-Instruct', host: 'gpu-box' } });
    expect(typeof request?.requestId).toBe('string');
    hostSends({
      type: 'launchResult',
      requestId: request?.requestId,
      ok: false,
      error: 'The base model is not on gpu-box.',
      problems: [{ path: '$.baseModel', message: 'not found in the Hugging Face cache on gpu-box' }],
    });
    expect(screen.getByTestId('outcome').textContent).toContain('The base model is not on gpu-box.');
    expect(screen.getByTestId('error-baseModel').textContent).toContain('Not found in the Hugging Face cache');
  });

  it('launches with the project typed in, and without one once the field is emptied', async () => {
    const api = mount();
    hostSends(launchInit());
    typeInto('project', 'support-bot');
    fireEvent.click(await screen.findByRole('button', { name: /Launch/ }));
    expect(lastPosted(api, 'launch')?.config).toMatchObject({ project: 'support-bot' });
    typeInto('project', '');
    expect(screen.queryByTestId('error-project')).toBeNull();
    fireEvent.click(await screen.findByRole('button', { name: /Launch/ }));
    expect(lastPosted(api, 'launch')?.config).not.toHaveProperty('project');
  });

  it('keeps the edits in progress across a reload', () => {
    const edited = { ...(launchInit().config as Record<string, unknown>), baseModel: 'my-org/half-typed' };
    const api = mount({ configPath: null, config: edited });
    hostSends(launchInit());
    expect((screen.getByTestId('input-baseModel') as HTMLInputElement).value).toBe('my-org/half-typed');
    typeInto('budgetUsd', '4');
    expect(api.saved?.config.budgetUsd).toBe(4);
  });

  it('offers the models on this machine for the base model once they arrive, while this machine is the host', () => {
    const api = mount();
    const init = launchInit();
    hostSends({ ...init, config: { ...init.config, host: 'local' } });
    expect(screen.queryByTestId('model-suggestions')).toBeNull();
    hostSends({
      type: 'models',
      host: 'local',
      models: [
        { name: 'smollm2-135m-instruct', baseModel: '/ws/.cache/models/smollm2-135m-instruct', source: 'project', modelType: 'llama' },
        { name: 'Qwen/Qwen2.5-0.5B-Instruct', baseModel: 'Qwen/Qwen2.5-0.5B-Instruct', source: 'hf-cache', modelType: null },
      ],
    });
    const offered = screen.getByTestId('model-suggestions');
    expect(offered.textContent).toContain('smollm2-135m-instruct');
    fireEvent.click(screen.getByRole('button', { name: 'smollm2-135m-instruct' }));
    expect((screen.getByTestId('input-baseModel') as HTMLInputElement).value).toBe('/ws/.cache/models/smollm2-135m-instruct');
    expect(screen.getByRole('button', { name: 'smollm2-135m-instruct' }).getAttribute('aria-pressed')).toBe('true');
    // Free text still goes in as typed.
    typeInto('baseModel', 'my-org/other');
    expect(api.saved?.config.baseModel).toBe('my-org/other');
  });

  it('offers no models of this machine while a remote host is chosen', () => {
    mount();
    hostSends(launchInit());
    hostSends({ type: 'models', host: 'local', models: [{ name: 'tiny', baseModel: '/m/tiny', source: 'project', modelType: null }] });
    expect(screen.queryByTestId('model-suggestions')).toBeNull();
  });

  it('refuses a models message that does not fit the protocol', () => {
    mount();
    const init = launchInit();
    hostSends({ ...init, config: { ...init.config, host: 'local' } });
    hostSends({ type: 'models', host: 'local', models: [{ name: 'tiny' }] });
    expect(screen.queryByTestId('model-suggestions')).toBeNull();
  });

  it('runs a preflight for the chosen host and shows its result', async () => {
    const api = mount();
    const init = launchInit();
    const noResult = init.hosts.map((h) => ({ ...h, preflight: null }));
    hostSends({ ...init, hosts: noResult });
    expect(screen.getByTestId('preflight').textContent).toContain('Not checked yet');
    fireEvent.click(await screen.findByRole('button', { name: /Run preflight/ }));
    const request = lastPosted(api, 'preflight');
    expect(request).toMatchObject({ host: 'gpu-box' });
    hostSends({ type: 'preflightResult', requestId: request?.requestId, host: 'gpu-box', preflight: init.hosts[1].preflight });
    expect(screen.getByTestId('preflight').textContent).toContain('A100');
  });

  describe('training method', () => {
    it('is sft for a chat file and shows no preference settings', async () => {
      const api = mount();
      hostSends(launchInit());
      await selected('method', 'sft');
      expect(screen.getByTestId('method-section').textContent).toContain('supervised fine-tuning on the assistant turns');
      expect(screen.queryByTestId('dpo-settings')).toBeNull();
      expect(api.saved?.config.method).toBeUndefined();
    });

    it('becomes dpo when a preference file is picked, with its settings, their help and defaults', async () => {
      const api = mount();
      hostSends(launchInit());
      await choose('datasets.train', 'data/prefs-train.jsonl');
      await waitFor(() => expect(api.saved?.config.method).toBe('dpo'));
      await selected('method', 'dpo');
      const settings = screen.getByTestId('dpo-settings');
      expect(settings.textContent).toContain('how far the adapter may move from the base model');
      expect(settings.textContent).toContain('ipo (squared');
      expect(settings.textContent).toContain('conservative DPO');
      expect((screen.getByTestId('input-preference.beta') as HTMLInputElement).placeholder).toBe('0.1');
      expect((screen.getByTestId('input-preference.labelSmoothing') as HTMLInputElement).placeholder).toBe('0');
      expect(screen.queryByTestId('orpo-settings')).toBeNull();
    });

    it('sends the chosen DPO settings with the estimate request and shows a wrong value at its field', async () => {
      const api = mount();
      hostSends(launchInit());
      await choose('datasets.train', 'data/prefs-train.jsonl');
      await waitFor(() => expect(api.saved?.config.method).toBe('dpo'));
      typeInto('preference.beta', '0.25');
      await choose('preference.lossType', 'ipo');
      await waitFor(() => expect(lastPosted(api, 'estimate')?.config).toMatchObject({ method: 'dpo', preference: { beta: 0.25, lossType: 'ipo' } }));
      // Label smoothing belongs to the sigmoid loss: hidden for ipo, back for sigmoid.
      expect(screen.queryByTestId('input-preference.labelSmoothing')).toBeNull();
      await choose('preference.lossType', 'sigmoid');
      typeInto('preference.labelSmoothing', '0.9');
      expect(screen.getByTestId('error-preference.labelSmoothing').textContent).toContain('At most 0.5.');
      await choose('preference.lossType', 'hinge');
      expect(api.saved?.config.preference).toEqual({ beta: 0.25, lossType: 'hinge' });
      typeInto('preference.beta', 'high');
      expect(screen.getByTestId('error-preference.beta').textContent).toContain('Enter a number.');
    });

    it('shows ORPO lambda instead when orpo is chosen, and drops the DPO settings from the file', async () => {
      const api = mount();
      hostSends(launchInit());
      await choose('datasets.train', 'data/prefs-train.jsonl');
      await waitFor(() => expect(api.saved?.config.method).toBe('dpo'));
      typeInto('preference.beta', '0.3');
      await choose('method', 'orpo');
      expect(screen.queryByTestId('dpo-settings')).toBeNull();
      expect(screen.getByTestId('orpo-settings').textContent).toContain('weight of the odds-ratio term');
      expect(api.saved?.config.method).toBe('orpo');
      expect(api.saved?.config.preference).toBeUndefined();
      typeInto('preference.lambda', '0.2');
      expect(api.saved?.config.preference).toEqual({ lambda: 0.2 });
    });

    it('keeps orpo when the preference file stays, and returns to sft when a chat file is picked', async () => {
      const api = mount();
      const init = launchInit();
      hostSends({ ...init, config: { ...init.config, datasets: { train: 'data/prefs-train.jsonl' }, method: 'orpo', preference: { lambda: 0.5 } } });
      await selected('method', 'orpo');
      expect((screen.getByTestId('input-preference.lambda') as HTMLInputElement).value).toBe('0.5');
      await choose('datasets.train', 'data/support-train.jsonl');
      await selected('method', 'sft');
      expect(api.saved?.config.method).toBeUndefined();
      expect(api.saved?.config.preference).toBeUndefined();
    });
  });
});
