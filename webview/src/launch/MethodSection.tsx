// The training method (sft, dpo, orpo) and the chosen preference method's own settings, each with its help.
import { DPO_LOSS_TYPES, METHOD_DESCRIPTIONS, TRAINING_METHODS, type TrainingMethod } from '../../../src/contracts/preference';
import { Field, Select, TextInput } from './Fields';
import { PREFERENCE_DEFAULTS, preferenceHelp } from './method';
import type { FormApi } from './sections';

const METHOD_LABELS: Record<TrainingMethod, string> = {
  sft: 'SFT: supervised fine-tuning',
  dpo: 'DPO: direct preference optimization',
  orpo: 'ORPO: odds ratio preference optimization',
};

function NumberSetting({ form, name, label }: { form: FormApi; name: 'beta' | 'labelSmoothing' | 'lambda'; label: string }) {
  const path = `preference.${name}`;
  const error = form.error(path);
  return (
    <Field id={path} label={label} help={preferenceHelp(name)} error={error}>
      <TextInput
        id={path}
        value={form.text(path)}
        placeholder={String(PREFERENCE_DEFAULTS[name])}
        invalid={error !== undefined}
        onChange={(text) => form.setText(path, text, 'number')}
      />
    </Field>
  );
}

export function MethodSection({ form }: { form: FormApi }) {
  const value = form.value('method');
  const method: TrainingMethod = TRAINING_METHODS.includes(value as TrainingMethod) ? (value as TrainingMethod) : 'sft';
  // Only the chosen method's settings go into the file: switching method drops the other's.
  const choose = (next: string) => {
    form.set('method', next === 'sft' ? undefined : next);
    form.set('preference', undefined);
  };
  const lossType = form.value('preference.lossType');
  return (
    <section className="br-section" data-testid="method-section">
      <h2>Method</h2>
      <div className="br-fields">
        <Field id="method" label="Training method" help={METHOD_DESCRIPTIONS[method]} error={form.error('method')}>
          <Select id="method" value={method} options={TRAINING_METHODS.map((m) => ({ value: m, label: METHOD_LABELS[m] }))} onChange={choose} />
        </Field>
      </div>
      {method === 'dpo' && (
        <div className="br-fields" style={{ marginTop: 10 }} data-testid="dpo-settings">
          <NumberSetting form={form} name="beta" label="Beta" />
          <Field id="preference.lossType" label="Loss" help={preferenceHelp('lossType')} error={form.error('preference.lossType')}>
            <Select
              id="preference.lossType"
              value={typeof lossType === 'string' ? lossType : ''}
              options={[{ value: '', label: `${PREFERENCE_DEFAULTS.lossType} (default)` }, ...DPO_LOSS_TYPES.map((t) => ({ value: t, label: t }))]}
              onChange={(next) => {
                form.set('preference.lossType', next === '' ? undefined : next);
                // A hidden setting does not stay in the file.
                if (next !== '' && next !== 'sigmoid') form.set('preference.labelSmoothing', undefined);
              }}
            />
          </Field>
          {/* Label smoothing applies to the sigmoid loss only (the default). */}
          {(lossType === undefined || lossType === 'sigmoid') && <NumberSetting form={form} name="labelSmoothing" label="Label smoothing" />}
        </div>
      )}
      {method === 'orpo' && (
        <div className="br-fields" style={{ marginTop: 10 }} data-testid="orpo-settings">
          <NumberSetting form={form} name="lambda" label="Lambda" />
        </div>
      )}
    </section>
  );
}
