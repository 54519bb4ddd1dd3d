// The form's sections: data, model, hyper-parameters, where it trains. Each reads and writes the config through
// the `form` object, which knows the values, the visible errors and the raw text being typed.
import { VscodeButton } from '@vscode-elements/react-elements';
import { HYPERPARAMETER_HELP, LR_SCHEDULERS, PRESET_NAMES, PRESETS, type HyperparameterName, type PresetName } from '../../../src/contracts/presets';
import type { DatasetEntry, HostEntry, ModelSuggestion, PreflightView } from '../../../src/shared/launchProtocol';
import { formatCount, formatPercent } from '../common/format';
import type { FieldPath } from './configEdit';
import { Field, Select, TextInput } from './Fields';

export interface FormApi {
  value(path: FieldPath): unknown;
  text(path: FieldPath): string;
  error(path: FieldPath): string | undefined;
  setText(path: FieldPath, text: string, kind: 'string' | 'number'): void;
  set(path: FieldPath, value: unknown): void;
}

function TextField(props: { form: FormApi; path: FieldPath; label: string; help?: string; placeholder?: string; number?: boolean }) {
  const { form, path } = props;
  const error = form.error(path);
  return (
    <Field id={path} label={props.label} help={props.help} error={error}>
      <TextInput
        id={path}
        value={form.text(path)}
        placeholder={props.placeholder}
        invalid={error !== undefined}
        onChange={(text) => form.setText(path, text, props.number ? 'number' : 'string')}
      />
    </Field>
  );
}

export function DatasetStatsLine({ entry }: { entry: DatasetEntry | undefined }) {
  if (entry === undefined) return null;
  const stats = entry.stats;
  if (stats === null)
    return (
      <div className="br-stats" data-testid={`stats-${entry.path}`}>
        {entry.unavailable ?? 'Validating…'}
      </div>
    );
  return (
    <div className="br-stats" data-testid={`stats-${entry.path}`}>
      <span>{stats.format}</span>
      <span>{formatCount(stats.examples)} examples</span>
      <span>
        {formatCount(stats.tokens.total)} tokens{stats.tokensApproximate ? ' (approx.)' : ''}
      </span>
      <span>
        p50/p95/max {formatCount(stats.tokens.p50)}/{formatCount(stats.tokens.p95)}/{formatCount(stats.tokens.max)}
      </span>
      {stats.examplesOverMaxSeqLen > 0 && (
        <span className="br-warning-text">
          {stats.examplesOverMaxSeqLen} over {formatCount(stats.maxSeqLen)} tokens
        </span>
      )}
      <span>padding {formatPercent(stats.paddingWaste)}</span>
      {stats.preference && (
        <span data-testid="preference-stats">
          {formatCount(stats.preference.pairs)} pairs · prompt p50 {formatCount(stats.preference.promptTokens.p50)} · chosen/rejected p50{' '}
          {formatCount(stats.preference.chosenTokens.p50)}/{formatCount(stats.preference.rejectedTokens.p50)} · chosen longer in{' '}
          {formatPercent(stats.preference.chosenLongerShare)}
        </span>
      )}
      {stats.errors > 0 ? (
        <span className="br-error-text">
          <span className="codicon codicon-error" aria-hidden="true" /> {stats.errors} errors: fix them before training
        </span>
      ) : (
        <span className="br-ok">
          <span className="codicon codicon-pass" aria-hidden="true" /> no errors
        </span>
      )}
    </div>
  );
}

export function DataSection({ form, datasets }: { form: FormApi; datasets: DatasetEntry[] }) {
  const train = String(form.value('datasets.train') ?? '');
  const validation = String(form.value('datasets.validation') ?? '');
  const options = (current: string) => {
    const list = datasets.map((d) => ({ value: d.path, label: d.label }));
    if (current !== '' && !list.some((o) => o.value === current)) list.unshift({ value: current, label: current });
    return list;
  };
  const split = form.value('validationSplit');
  const splitShare = typeof split === 'number' ? split : 0.05;
  return (
    <section className="br-section">
      <h2>Data</h2>
      <div className="br-fields">
        <Field id="datasets.train" label="Training file" error={form.error('datasets.train')}>
          <Select
            id="datasets.train"
            value={train}
            invalid={form.error('datasets.train') !== undefined}
            options={[{ value: '', label: 'Pick a JSONL file…' }, ...options(train)]}
            onChange={(value) => form.set('datasets.train', value === '' ? undefined : value)}
          />
          <DatasetStatsLine entry={datasets.find((d) => d.path === train)} />
        </Field>
        <Field id="datasets.validation" label="Validation file" error={form.error('datasets.validation')}>
          <Select
            id="datasets.validation"
            value={validation}
            invalid={form.error('datasets.validation') !== undefined}
            options={[{ value: '', label: `None: hold out ${formatPercent(splitShare)} of the training file` }, ...options(validation)]}
            onChange={(value) => form.set('datasets.validation', value === '' ? undefined : value)}
          />
          <DatasetStatsLine entry={datasets.find((d) => d.path === validation)} />
        </Field>
      </div>
    </section>
  );
}

const MODEL_SOURCES: Record<string, string> = { project: "this project's .cache/models", brightrun: 'converted .gguf', 'hf-cache': 'Hugging Face cache' };

/** The models already on the chosen host: one click writes one into baseModel; typing anything else still works. */
function ModelSuggestions({ models, current, onPick }: { models: ModelSuggestion[]; current: string; onPick: (baseModel: string) => void }) {
  if (models.length === 0) return null;
  return (
    <div className="br-suggestions" data-testid="model-suggestions">
      <span className="br-muted">On this machine:</span>
      {models.map((model) => (
        <button
          key={model.baseModel}
          type="button"
          className="br-suggestion"
          aria-pressed={model.baseModel === current}
          title={`${model.baseModel} (${[MODEL_SOURCES[model.source] ?? model.source, model.modelType].filter(Boolean).join(', ')})`}
          onClick={() => onPick(model.baseModel)}
        >
          {model.name}
        </button>
      ))}
    </div>
  );
}

export function ModelSection({
  form,
  onBrowse,
  browsing,
  suggestions,
}: {
  form: FormApi;
  onBrowse: () => void;
  browsing: boolean;
  suggestions: ModelSuggestion[];
}) {
  return (
    <section className="br-section">
      <h2>Model</h2>
      <div className="br-fields">
        <Field id="baseModel" label="Base model" help="A Hugging Face model id, a local model folder or a .gguf file." error={form.error('baseModel')}>
          <div style={{ display: 'flex', gap: 6 }}>
            <TextInput
              id="baseModel"
              value={form.text('baseModel')}
              placeholder="Qwen/Qwen2.5-0.5B-Instruct"
              invalid={form.error('baseModel') !== undefined}
              onChange={(text) => form.setText('baseModel', text, 'string')}
            />
            <VscodeButton secondary icon="folder-opened" disabled={browsing} onClick={onBrowse} title="Pick a local model folder">
              Browse
            </VscodeButton>
          </div>
          <ModelSuggestions models={suggestions} current={form.text('baseModel')} onPick={(baseModel) => form.set('baseModel', baseModel)} />
        </Field>
        <TextField form={form} path="name" label="Run name" help="A label for the Runs view (optional)." />
        <TextField form={form} path="project" label="Project" help="Spend is broken down by project (optional)." placeholder="none" />
        <TextField
          form={form}
          path="maxSeqLen"
          label="Max sequence length"
          help="Longest example in tokens; longer ones are truncated."
          placeholder="2048"
          number
        />
      </div>
    </section>
  );
}

const HP_LABELS: Record<HyperparameterName, string> = {
  loraR: 'LoRA rank (r)',
  loraAlpha: 'LoRA alpha',
  loraDropout: 'LoRA dropout',
  learningRate: 'Learning rate',
  epochs: 'Epochs',
  batchSize: 'Batch size',
  gradAccum: 'Gradient accumulation',
  lrScheduler: 'LR schedule',
  warmupRatio: 'Warm-up ratio',
  weightDecay: 'Weight decay',
  maxGradNorm: 'Max grad norm',
};

export function HyperparametersSection({ form }: { form: FormApi }) {
  const presetValue = form.value('preset');
  const preset: PresetName = PRESET_NAMES.includes(presetValue as PresetName) ? (presetValue as PresetName) : 'balanced';
  const overrides = form.value('hyperparameters');
  const custom = typeof overrides === 'object' && overrides !== null && Object.keys(overrides).length > 0;
  const names = Object.keys(HP_LABELS) as HyperparameterName[];
  return (
    <section className="br-section">
      <h2>Hyper-parameters</h2>
      <div className="br-fields" style={{ marginBottom: 10 }}>
        <Field id="preset" label="Preset" help={PRESETS[preset].summary} error={form.error('preset')}>
          <Select
            id="preset"
            value={preset}
            options={PRESET_NAMES.map((name) => ({ value: name, label: name }))}
            onChange={(value) => form.set('preset', value)}
          />
        </Field>
        <Field id="custom" label="Custom values" help="Empty fields take the preset's value (shown greyed).">
          <VscodeButton secondary icon="discard" disabled={!custom} onClick={() => form.set('hyperparameters', undefined)}>
            Reset to preset
          </VscodeButton>
        </Field>
      </div>
      <div className="br-fields">
        {names.map((name) => {
          const path = `hyperparameters.${name}`;
          if (name === 'lrScheduler') {
            return (
              <Field key={name} id={path} label={HP_LABELS[name]} help={HYPERPARAMETER_HELP[name]} error={form.error(path)}>
                <Select
                  id={path}
                  value={String(form.value(path) ?? '')}
                  options={[{ value: '', label: `${PRESETS[preset].values.lrScheduler} (preset)` }, ...LR_SCHEDULERS.map((s) => ({ value: s, label: s }))]}
                  onChange={(value) => form.set(path, value === '' ? undefined : value)}
                />
              </Field>
            );
          }
          return (
            <TextField
              key={name}
              form={form}
              path={path}
              label={HP_LABELS[name]}
              help={HYPERPARAMETER_HELP[name]}
              placeholder={String(PRESETS[preset].values[name])}
              number
            />
          );
        })}
      </div>
    </section>
  );
}

function PreflightResultView({ preflight, error }: { preflight: PreflightView | null; error: string | undefined }) {
  if (error !== undefined)
    return (
      <div className="br-error-text" data-testid="preflight">
        {error}
      </div>
    );
  if (preflight === null)
    return (
      <div className="br-field-help" data-testid="preflight">
        Not checked yet.
      </div>
    );
  const icon = (status: string) => (status === 'ok' ? 'pass br-ok' : status === 'warning' ? 'warning br-warning-text' : 'error br-error-text');
  return (
    <div data-testid="preflight">
      <div className={preflight.ok ? 'br-ok' : 'br-error-text'}>
        <span className={`codicon codicon-${preflight.ok ? 'pass' : 'error'}`} aria-hidden="true" /> {preflight.summary}
      </div>
      <ul className="br-checks">
        {preflight.checks.map((check) => (
          <li key={check.name}>
            <span className={`codicon codicon-${icon(check.status)}`} aria-hidden="true" /> <strong>{check.name}</strong>{' '}
            <span className="br-muted">{check.detail}</span>
          </li>
        ))}
      </ul>
    </div>
  );
}

export function HostSection(props: {
  form: FormApi;
  hosts: HostEntry[];
  preflightError: string | undefined;
  preflightPending: boolean;
  onPreflight: (host: string) => void;
}) {
  const { form, hosts } = props;
  const name = String(form.value('host') ?? 'local');
  const host = hosts.find((h) => h.name === name);
  const options = hosts.map((h) => ({ value: h.name, label: h.name, description: h.detail }));
  if (!options.some((o) => o.value === name)) options.unshift({ value: name, label: name, description: 'not configured' });
  const defaultPrice = host?.pricePerGpuHour;
  return (
    <section className="br-section">
      <h2>Where it trains</h2>
      <div className="br-fields">
        <Field id="host" label="Host" error={form.error('host')}>
          <Select id="host" value={name} options={options} onChange={(value) => form.set('host', value)} />
          {host !== undefined && <div className="br-field-help">{host.detail}</div>}
        </Field>
        <Field id="preflight" label="Preflight">
          <PreflightResultView preflight={host?.preflight ?? null} error={props.preflightError} />
          <div>
            <VscodeButton secondary icon="checklist" disabled={props.preflightPending} onClick={() => props.onPreflight(name)}>
              {props.preflightPending ? 'Checking…' : 'Run preflight'}
            </VscodeButton>
          </div>
        </Field>
      </div>
      <div className="br-fields" style={{ marginTop: 10 }}>
        <TextField form={form} path="gpus" label="GPUs" help="GPUs to train on (several use torchrun)." placeholder="1" number />
        <TextField
          form={form}
          path="pricePerGpuHour"
          label="Price per GPU-hour (USD)"
          help="For the estimate and the live cost."
          placeholder={defaultPrice != null ? String(defaultPrice) : 'unknown'}
          number
        />
        <TextField
          form={form}
          path="budgetUsd"
          label="Budget (USD)"
          help="The run stops with a checkpoint when its cost would pass this."
          placeholder="no limit"
          number
        />
      </div>
    </section>
  );
}
