// Where the run's metrics go besides BrightRun's own monitor: TensorBoard files in the run folder, an MLflow server,
// a W&B project. Clearing the MLflow URI or the W&B project turns that tracker off (its block leaves the file).
import { VscodeCheckbox } from '@vscode-elements/react-elements';
import { DEFAULT_MLFLOW_EXPERIMENT } from '../../../src/contracts/tracking';
import { Field, TextInput } from './Fields';
import type { FormApi } from './sections';

function TrackerText(props: { form: FormApi; path: string; block: string; label: string; help: string; placeholder: string; required?: boolean }) {
  const { form, path } = props;
  const error = form.error(path);
  return (
    <Field id={path} label={props.label} help={props.help} error={error}>
      <TextInput
        id={path}
        value={form.text(path)}
        placeholder={props.placeholder}
        invalid={error !== undefined}
        onChange={(text) => {
          if (text.trim() !== '') form.setText(path, text, 'string');
          else form.set(props.required ? props.block : path, undefined);
        }}
      />
    </Field>
  );
}

export function TrackingSection({ form }: { form: FormApi }) {
  const mlflowOn = form.value('tracking.mlflow') !== undefined;
  const wandbOn = form.value('tracking.wandb') !== undefined;
  return (
    <section className="br-section" data-testid="tracking-section">
      <h2>Tracking</h2>
      <div className="br-fields">
        <Field
          id="tracking.tensorboard"
          label="TensorBoard"
          help="Event files in the run folder (tensorboard/), for tensorboard --logdir. Needs the tensorboard package on the host."
          error={form.error('tracking.tensorboard')}
        >
          <VscodeCheckbox
            id="field-tracking.tensorboard"
            data-testid="input-tracking.tensorboard"
            label="Write TensorBoard logs"
            checked={form.value('tracking.tensorboard') === true}
            onChange={(e) => form.set('tracking.tensorboard', (e.target as HTMLInputElement).checked ? true : undefined)}
          />
        </Field>
        <TrackerText
          form={form}
          path="tracking.mlflow.trackingUri"
          block="tracking.mlflow"
          required
          label="MLflow tracking URI"
          placeholder="none"
          help="As the host that trains reaches it, e.g. http://127.0.0.1:5000. Needs mlflow on the host; credentials come from its MLFLOW_TRACKING_* variables."
        />
        {mlflowOn && (
          <TrackerText
            form={form}
            path="tracking.mlflow.experiment"
            block="tracking.mlflow"
            label="MLflow experiment"
            placeholder={DEFAULT_MLFLOW_EXPERIMENT}
            help="Created when missing."
          />
        )}
        <TrackerText
          form={form}
          path="tracking.wandb.project"
          block="tracking.wandb"
          required
          label="W&B project"
          placeholder="none"
          help="Needs wandb on the host. The API key: BrightRun: Set Weights & Biases API Key (or the host's own WANDB_API_KEY), never this file."
        />
        {wandbOn && (
          <TrackerText
            form={form}
            path="tracking.wandb.entity"
            block="tracking.wandb"
            label="W&B entity"
            placeholder="your default"
            help="A team or user; empty: the API key's default entity."
          />
        )}
      </div>
    </section>
  );
}
