// @vitest-environment jsdom
// The launch form's template picker: the workspace's templates offered above the presets; picking one fills the form
// with its settings and leaves its variables (the datasets) to the user; Launch posts a normal run config.
import { afterEach, describe, expect, it } from 'vitest';
import { act, cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { LaunchApp } from '../../webview/src/launch/App';
import { launchInit } from '../../webview/preview/scenarios';
import type { LaunchPersistedState, TemplateEntry } from '../../src/shared/launchProtocol';
import { hostSends, lastPosted, recordingApi } from './helpers';

afterEach(cleanup);

function mount(state?: LaunchPersistedState) {
  const api = recordingApi<LaunchPersistedState>(state);
  render(<LaunchApp api={api} estimateDelayMs={0} />);
  return api;
}

async function choose(field: string, value: string) {
  const element = screen.getByTestId(`input-${field}`) as HTMLSelectElement;
  await waitFor(() => expect(element.options.length).toBeGreaterThan(0));
  act(() => {
    element.value = value;
    element.dispatchEvent(new Event('change', { bubbles: true }));
  });
}

function value(field: string): string {
  return (screen.getByTestId(`input-${field}`) as HTMLInputElement).value;
}

const tickets: TemplateEntry = {
  path: '/ws/configs/tickets.brightrun.json',
  label: 'configs/tickets.brightrun.json',
  name: 'Tickets LoRA',
  description: 'Support messages to one-line JSON tickets.',
  variables: [
    { name: 'train', description: 'Training data: a JSONL file.', default: null },
    { name: 'validation', description: 'Validation data: a JSONL file.', default: 'data/support-val.jsonl' },
  ],
  config: {
    name: 'tickets',
    datasets: { validation: 'data/support-val.jsonl' },
    baseModel: 'HuggingFaceTB/SmolLM2-135M-Instruct',
    preset: 'aggressive',
    hyperparameters: { learningRate: 0.0007, loraR: 32, maxSteps: 40 },
    maxSeqLen: 512,
    host: 'local',
    gpus: 1,
    gates: { minTokenF1: 0.5 },
  },
  unfilled: ['datasets.train'],
};

const broken: TemplateEntry = {
  ...tickets,
  path: '/ws/old.brightrun.json',
  label: 'old.brightrun.json',
  name: 'Old',
  problem: '$.datasets.train: ${data} is not declared: add "data" to template.variables',
};

describe('launch form templates', () => {
  it('offers nothing while the workspace has no template', () => {
    mount();
    hostSends(launchInit());
    hostSends({ type: 'templates', templates: [] });
    expect(screen.queryByTestId('templates')).toBeNull();
  });

  it('fills the form from a picked template and leaves its variables to the user', async () => {
    const api = mount();
    hostSends(launchInit());
    hostSends({ type: 'templates', templates: [tickets, broken] });
    // A template that is not valid is named with its problem, and not offered.
    expect(screen.getByTestId('template-problem').textContent).toContain('old.brightrun.json: not offered ($.datasets.train: ${data} is not declared');
    const options = () => [...(screen.getByTestId('input-template') as HTMLSelectElement).options].map((o) => o.value);
    await waitFor(() => expect(options()).toEqual(['', tickets.path]));

    await choose('template', tickets.path);
    expect(value('baseModel')).toBe('HuggingFaceTB/SmolLM2-135M-Instruct');
    expect(value('hyperparameters.learningRate')).toBe('0.0007');
    expect(value('hyperparameters.loraR')).toBe('32');
    expect(value('maxSeqLen')).toBe('512');
    await waitFor(() => expect(value('preset')).toBe('aggressive'));
    await waitFor(() => expect(value('host')).toBe('local'));
    // The variable with a default is pre-filled; the one without is for the user, who is told what it wants.
    await waitFor(() => expect(value('datasets.validation')).toBe('data/support-val.jsonl'));
    expect(value('datasets.train')).toBe('');
    const note = screen.getByTestId('template-note').textContent ?? '';
    expect(note).toContain('Tickets LoRA');
    expect(note).toContain('train Training data: a JSONL file');
    expect(note).not.toContain('validation');
    expect(api.saved?.fromTemplate).toBe(tickets.path);

    // Launch is refused until the training file is picked; then the config posted is a plain run config.
    fireEvent.click(await screen.findByRole('button', { name: /Launch/ }));
    expect(lastPosted(api, 'launch')).toBeUndefined();
    expect(screen.getByTestId('error-datasets.train')).toBeTruthy();
    await choose('datasets.train', 'data/support-train.jsonl');
    fireEvent.click(await screen.findByRole('button', { name: /Launch/ }));
    const request = lastPosted(api, 'launch');
    expect(request?.config).toEqual({ ...tickets.config, datasets: { train: 'data/support-train.jsonl', validation: 'data/support-val.jsonl' } });
    expect(JSON.stringify(request?.config)).not.toContain('${');
  });

  it('opens on a template when the host made the form from one', async () => {
    const api = mount();
    hostSends({ ...launchInit(), config: tickets.config, fromTemplate: tickets.path });
    hostSends({ type: 'templates', templates: [tickets] });
    await waitFor(() => expect(value('template')).toBe(tickets.path));
    expect(screen.getByTestId('template-note').textContent).toContain('Tickets LoRA');
    expect(value('baseModel')).toBe('HuggingFaceTB/SmolLM2-135M-Instruct');
    expect(api.saved?.fromTemplate).toBe(tickets.path);
  });
});
