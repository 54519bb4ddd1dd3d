// The live estimate beside the form, and the buttons that save or launch the config.
import { VscodeButton, VscodeProgressRing } from '@vscode-elements/react-elements';
import { formatCount, formatDuration, formatUsd } from '../common/format';
import type { EstimateState } from './useEstimate';

export function EstimateCard(props: {
  estimate: EstimateState;
  formErrors: number;
  budget: number | null;
  submitting: 'save' | 'launch' | null;
  onSave: () => void;
  onLaunch: () => void;
}) {
  const { estimate, formErrors, budget } = props;
  const value = estimate.estimate;
  const overBudget = value !== null && value.cost_usd !== null && budget !== null && value.cost_usd > budget;
  return (
    <aside className="br-card br-sticky br-estimate" aria-label="Estimate" data-testid="estimate">
      <div className="br-label">Estimate {estimate.pending && <VscodeProgressRing style={{ width: 12, height: 12, display: 'inline-block' }} />}</div>
      {formErrors > 0 ? (
        <p className="br-muted">Fix the highlighted fields to see an estimate.</p>
      ) : value === null ? (
        <p className="br-muted">{estimate.error ?? 'Pick a training file to see the duration and cost.'}</p>
      ) : (
        <>
          <dl>
            <dt>Steps</dt>
            <dd data-testid="estimate-steps">{formatCount(value.steps)}</dd>
            <dt>Duration</dt>
            <dd data-testid="estimate-duration">{formatDuration(value.duration_s)}</dd>
            <dt>Cost</dt>
            <dd data-testid="estimate-cost" className={overBudget ? 'br-warning-text' : undefined}>
              {value.cost_usd === null ? 'set a price per GPU-hour' : formatUsd(value.cost_usd)}
            </dd>
          </dl>
          <div className="br-field-help">{value.basis}</div>
          {overBudget && (
            <div className="br-warning-text" style={{ marginTop: 6 }}>
              <span className="codicon codicon-warning" aria-hidden="true" /> Over the budget: the run would stop early.
            </div>
          )}
          {estimate.error !== null && <div className="br-warning-text">{estimate.error}</div>}
        </>
      )}
      <div className="br-actions" style={{ marginTop: 12 }}>
        <VscodeButton icon="play" disabled={props.submitting !== null} onClick={props.onLaunch}>
          {props.submitting === 'launch' ? 'Launching…' : 'Launch'}
        </VscodeButton>
        <VscodeButton secondary icon="save" disabled={props.submitting !== null} onClick={props.onSave}>
          Save config
        </VscodeButton>
      </div>
    </aside>
  );
}
