// The Evaluation panel: one run's adapter against its base model. A scorecard, the quality gates, every prompt
// answered by both side by side, and Save as JSON / Markdown.
import { useCallback, useEffect, useMemo, useState } from 'react';
import { VscodeButton, VscodeProgressRing } from '@vscode-elements/react-elements';
import {
  parseEvaluationHostMessage,
  type EvaluationHostMessage,
  type EvaluationPersistedState,
  type EvaluationRun,
  type EvaluationWebviewMessage,
} from '../../../src/shared/evaluationProtocol';
import type { EvalReport } from '../../../src/contracts/evalReport';
import { useHostMessages } from '../common/messageBus';
import type { VsCodeApi } from '../common/vscodeApi';
import { Answers } from './Answers';
import { Gates, Scorecard } from './Scorecard';

function basename(path: string): string {
  return path.split(/[\\/]/).pop() || path;
}

export function EvaluationApp({ api }: { api: VsCodeApi<EvaluationPersistedState> }) {
  const restored = useMemo(() => api.getState(), [api]);
  const [run, setRun] = useState<EvaluationRun | null>(null);
  const [report, setReport] = useState<EvalReport | null>(null);
  const [initialised, setInitialised] = useState(false);
  const [busy, setBusy] = useState<string | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const [saved, setSaved] = useState<string | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [onlyDifferent, setOnlyDifferent] = useState(restored?.onlyDifferent ?? false);
  const post = useCallback((message: EvaluationWebviewMessage) => api.postMessage(message), [api]);

  const onMessage = (message: EvaluationHostMessage) => {
    switch (message.type) {
      case 'init':
        setRun(message.run);
        setReport(message.report);
        setBusy(null);
        setFailure(null);
        setInitialised(true);
        break;
      case 'evaluating':
        setBusy(message.message);
        if (message.message !== null) setFailure(null);
        break;
      case 'report':
        setReport(message.report);
        setBusy(null);
        break;
      case 'failed':
        setFailure(message.error);
        setBusy(null);
        break;
      case 'exported':
        setSaved(message.path);
        break;
    }
  };
  useHostMessages(parseEvaluationHostMessage, onMessage, setProblem);

  useEffect(() => {
    post({ type: 'ready', runId: restored?.runId ?? null });
  }, [post, restored]);

  const runId = run?.runId ?? restored?.runId ?? null;
  useEffect(() => {
    api.setState({ runId, onlyDifferent });
  }, [api, runId, onlyDifferent]);

  const source = report ? (report.prompts.source === 'validation' ? 'the validation set' : basename(report.prompts.source)) : '';
  return (
    <main className="br-page" data-ready={initialised ? 'true' : 'false'}>
      {problem !== null && (
        <div className="br-banner" role="alert">
          {problem}
        </div>
      )}
      <header className="br-header">
        <h1 className="br-title">
          <span className="codicon codicon-beaker" aria-hidden="true" /> Evaluation{run ? `: ${run.label}` : ''}
        </h1>
        {report && (
          <div className="br-meta">
            <span title={report.base_model}>base {basename(report.base_model)}</span>
            <span>on {run?.host}</span>
            <span>{report.created_at.replace('T', ' ').replace(/\.\d+Z$|Z$/, ' UTC')}</span>
            <span>took {Math.round(report.wall_s)} s</span>
          </div>
        )}
        <div className="br-spacer" />
        <div className="br-actions">
          <VscodeButton icon="json" secondary disabled={!report} onClick={() => post({ type: 'export', format: 'json' })}>
            Save as JSON
          </VscodeButton>
          <VscodeButton icon="markdown" secondary disabled={!report} onClick={() => post({ type: 'export', format: 'markdown' })}>
            Save as Markdown
          </VscodeButton>
          <VscodeButton icon="refresh" disabled={!run || busy !== null} onClick={() => post({ type: 'evaluateAgain' })}>
            Evaluate again
          </VscodeButton>
        </div>
      </header>
      {busy !== null && (
        <div className="br-callout br-busy" data-testid="busy">
          <VscodeProgressRing className="br-ring" /> Evaluating on {run?.host ?? 'the host'}: {busy}
        </div>
      )}
      {failure !== null && (
        <div className="br-callout br-error" role="alert">
          The evaluation failed: {failure}
        </div>
      )}
      {saved !== null && <div className="br-callout br-success">Saved to {saved}</div>}
      {initialised && !run && <div className="br-callout">This run is no longer in the Runs view.</div>}
      {initialised && run && !report && busy === null && (
        <div className="br-callout">{run.label} has no evaluation yet. Use Evaluate again to compare its adapter with the base model.</div>
      )}
      {report && (
        <>
          <div className="br-eval-top">
            <Scorecard report={report} />
            <Gates report={report} />
          </div>
          {report.prompts.items.length > 0 ? (
            <Answers items={report.prompts.items} source={source} onlyDifferent={onlyDifferent} onOnlyDifferent={setOnlyDifferent} />
          ) : (
            <div className="br-callout">No prompts were answered: the run has no chat validation examples. Evaluate again with a prompt set.</div>
          )}
        </>
      )}
    </main>
  );
}
