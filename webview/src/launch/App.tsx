// The launch form: a *.brightrun.json being edited, validated with the file's schema as you type, a live
// estimate, and Save / Launch. The host answers every request by id; the form trusts only answers it awaits.
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import {
  parseLaunchHostMessage,
  type DatasetEntry,
  type HostEntry,
  type LaunchHostMessage,
  type LaunchPersistedState,
  type LaunchWebviewMessage,
  type ModelSuggestion,
  type TemplateEntry,
} from '../../../src/shared/launchProtocol';
import { requestIdFactory, useHostMessages } from '../common/messageBus';
import type { VsCodeApi } from '../common/vscodeApi';
import { getAt, numberFromInput, problemsByField, setAt, validateForm, withoutEmptyLabels, type ConfigObject, type FieldPath } from './configEdit';
import { EstimateCard } from './EstimateCard';
import { methodForFormat } from './method';
import { MethodSection } from './MethodSection';
import { TrackingSection } from './TrackingSection';
import { DataSection, HostSection, HyperparametersSection, ModelSection, type FormApi } from './sections';
import { useEstimate } from './useEstimate';
import { TemplateSection } from './TemplateSection';

const nextRequestId = requestIdFactory('launch');

type Outcome = { ok: boolean; text: string };

export function LaunchApp({ api, estimateDelayMs = 400 }: { api: VsCodeApi<LaunchPersistedState>; estimateDelayMs?: number }) {
  const restored = useRef(api.getState());
  const [initialised, setInitialised] = useState(restored.current !== undefined);
  const [configPath, setConfigPath] = useState<string | null>(restored.current?.configPath ?? null);
  const [config, setConfig] = useState<ConfigObject>(restored.current?.config ?? {});
  const [drafts, setDrafts] = useState<Map<FieldPath, string>>(new Map());
  const [touched, setTouched] = useState<Set<FieldPath>>(new Set());
  const [showAll, setShowAll] = useState(false);
  const [hostProblems, setHostProblems] = useState<Map<FieldPath, string>>(new Map());
  const [datasets, setDatasets] = useState<DatasetEntry[]>([]);
  const [hosts, setHosts] = useState<HostEntry[]>([]);
  const [submitting, setSubmitting] = useState<{ kind: 'save' | 'launch'; requestId: string } | null>(null);
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const [preflight, setPreflight] = useState<{ requestId: string; host: string } | null>(null);
  const [preflightErrors, setPreflightErrors] = useState<Map<string, string>>(new Map());
  const [browseId, setBrowseId] = useState<string | null>(null);
  const [localModels, setLocalModels] = useState<{ host: string; models: ModelSuggestion[] } | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [templates, setTemplates] = useState<TemplateEntry[]>([]);
  const [fromTemplate, setFromTemplate] = useState<string | null>(restored.current?.fromTemplate ?? null);

  const post = useCallback((message: LaunchWebviewMessage) => api.postMessage(message), [api]);
  const errors = useMemo(() => validateForm(config), [config]);
  const cleaned = useMemo(() => withoutEmptyLabels(config), [config]);

  const requestEstimate = useCallback(
    (value: ConfigObject) => {
      const requestId = nextRequestId();
      post({ type: 'estimate', requestId, config: value });
      return requestId;
    },
    [post],
  );
  // The host estimates from the training file's statistics: their arrival (or change) asks again.
  const trainStats = datasets.find((d) => d.path === getAt(config, 'datasets.train'))?.stats ?? null;
  const estimate = useEstimate({
    config: cleaned,
    enabled: initialised && errors.size === 0,
    delayMs: estimateDelayMs,
    request: requestEstimate,
    inputsKey: trainStats === null ? 'none' : `${trainStats.format}:${trainStats.examples}:${trainStats.tokens.total}`,
  });

  const onMessage = (message: LaunchHostMessage) => {
    switch (message.type) {
      case 'init': {
        // After a reload, the edits in progress win over the file as last saved.
        const keep = restored.current !== undefined && restored.current.configPath === message.configPath;
        if (!keep) {
          setConfig(message.config);
          setConfigPath(message.configPath);
          setDrafts(new Map());
          setFromTemplate(message.fromTemplate ?? null);
        }
        restored.current = undefined;
        setDatasets(message.datasets);
        setHosts(message.hosts);
        setInitialised(true);
        break;
      }
      case 'datasets':
        setDatasets(message.datasets);
        break;
      case 'hosts':
        setHosts(message.hosts);
        break;
      case 'models':
        setLocalModels({ host: message.host, models: message.models });
        break;
      case 'templates':
        setTemplates(message.templates);
        break;
      case 'estimateResult':
        estimate.onResult(message.requestId, message.estimate, message.error);
        break;
      case 'preflightResult':
        if (preflight?.requestId !== message.requestId) break;
        setPreflight(null);
        setPreflightErrors((m) => {
          const next = new Map(m);
          if (message.error !== undefined) next.set(message.host, message.error);
          else next.delete(message.host);
          return next;
        });
        if (message.preflight !== null) {
          setHosts((list) => list.map((h) => (h.name === message.host ? { ...h, preflight: message.preflight } : h)));
        }
        break;
      case 'statsResult':
        if (message.stats !== null) setDatasets((list) => list.map((d) => (d.path === message.path ? { ...d, stats: message.stats } : d)));
        break;
      case 'saveResult':
      case 'launchResult':
        if (submitting?.requestId !== message.requestId) break;
        setSubmitting(null);
        if (message.ok) {
          setConfigPath(message.configPath);
          setOutcome({
            ok: true,
            text: message.type === 'launchResult' ? `Run ${message.runId} started; its monitor is opening.` : `Saved ${message.configPath}.`,
          });
        } else {
          setHostProblems(problemsByField(message.problems));
          setOutcome({ ok: false, text: message.error });
        }
        break;
      case 'browseResult':
        if (browseId !== message.requestId) break;
        setBrowseId(null);
        if (message.path !== null) update('baseModel', message.path);
        break;
    }
  };
  useHostMessages(parseLaunchHostMessage, onMessage, setProblem);

  useEffect(() => {
    post({ type: 'ready' });
  }, [post]);

  useEffect(() => {
    api.setState({ configPath, config, ...(fromTemplate !== null ? { fromTemplate } : {}) });
  }, [api, configPath, config, fromTemplate]);

  // The method follows the training file's format once it is known (a preference file: dpo); a method chosen
  // afterwards stays until another file is picked.
  const trainFormat = trainStats?.format;
  useEffect(() => {
    if (trainFormat === undefined) return;
    setConfig((c) => {
      const method = methodForFormat(getAt(c, 'method'), trainFormat);
      return method === getAt(c, 'method') ? c : setAt(setAt(c, 'method', method), 'preference', undefined);
    });
  }, [trainFormat]);

  function update(path: FieldPath, value: unknown) {
    setConfig((c) => setAt(c, path, value));
    setTouched((t) => new Set(t).add(path));
    setHostProblems((m) => {
      if (!m.has(path)) return m;
      const next = new Map(m);
      next.delete(path);
      return next;
    });
    setOutcome(null);
  }

  const form: FormApi = {
    value: (path) => getAt(config, path),
    text: (path) => {
      const draft = drafts.get(path);
      if (draft !== undefined) return draft;
      const value = getAt(config, path);
      return value === undefined || value === null ? '' : String(value);
    },
    // A wrong value shows its message at once (also one loaded from the file); an empty required field only
    // once touched or on Launch, so a new form does not open covered in "Required".
    error: (path) => {
      const value = getAt(config, path);
      const filled = value !== undefined && value !== '';
      return hostProblems.get(path) ?? (showAll || touched.has(path) || filled ? errors.get(path) : undefined);
    },
    setText: (path, text, kind) => {
      setDrafts((d) => new Map(d).set(path, text));
      update(path, kind === 'number' ? numberFromInput(text) : text);
    },
    set: (path, value) => {
      setDrafts((d) => {
        const next = new Map(d);
        for (const key of next.keys()) if (key === path || key.startsWith(`${path}.`)) next.delete(key);
        return next;
      });
      update(path, value);
    },
  };

  /** The template's settings replace the form's; its variables without a default are left for the user. */
  const pickTemplate = (entry: TemplateEntry) => {
    setConfig(entry.config);
    setFromTemplate(entry.path);
    setDrafts(new Map());
    setTouched(new Set());
    setHostProblems(new Map());
    setShowAll(false);
    setOutcome(null);
  };

  const submit = (kind: 'save' | 'launch') => {
    setShowAll(true);
    if (errors.size > 0) {
      setOutcome({ ok: false, text: `Fix the ${errors.size === 1 ? 'highlighted field' : `${errors.size} highlighted fields`} first.` });
      return;
    }
    const requestId = nextRequestId();
    setSubmitting({ kind, requestId });
    setOutcome(null);
    post({ type: kind, requestId, configPath, config: cleaned });
  };

  const unplaced = [...hostProblems.entries()].filter(([path]) => document.querySelector(`[data-field="${path}"]`) === null);
  const budget = typeof config.budgetUsd === 'number' ? config.budgetUsd : null;

  return (
    <main className="br-page" data-ready={initialised ? 'true' : 'false'}>
      {problem !== null && (
        <div className="br-banner" role="alert">
          {problem}
        </div>
      )}
      <header className="br-header">
        <h1 className="br-title">
          <span className="codicon codicon-rocket" aria-hidden="true" /> New training run
        </h1>
        <span className="br-muted br-mono">{configPath ?? 'not saved yet'}</span>
      </header>
      {outcome !== null && (
        <div className={`br-callout ${outcome.ok ? 'br-success' : 'br-error'}`} role={outcome.ok ? 'status' : 'alert'} data-testid="outcome">
          {outcome.text}
          {unplaced.map(([path, message]) => (
            <div key={path} className="br-mono">
              {path}: {message}
            </div>
          ))}
        </div>
      )}
      <div className="br-form">
        <div>
          <TemplateSection templates={templates} chosen={fromTemplate} onPick={pickTemplate} />
          <DataSection form={form} datasets={datasets} />
          <ModelSection
            form={form}
            browsing={browseId !== null}
            suggestions={localModels !== null && localModels.host === String(config.host ?? 'local') ? localModels.models : []}
            onBrowse={() => {
              const requestId = nextRequestId();
              setBrowseId(requestId);
              post({ type: 'browseModel', requestId });
            }}
          />
          <MethodSection form={form} />
          <HyperparametersSection form={form} />
          <TrackingSection form={form} />
          <HostSection
            form={form}
            hosts={hosts}
            preflightError={preflightErrors.get(String(config.host ?? 'local'))}
            preflightPending={preflight !== null}
            onPreflight={(host) => {
              const requestId = nextRequestId();
              setPreflight({ requestId, host });
              post({ type: 'preflight', requestId, host });
            }}
          />
        </div>
        <EstimateCard
          estimate={estimate}
          formErrors={errors.size}
          budget={budget}
          submitting={submitting?.kind ?? null}
          onSave={() => submit('save')}
          onLaunch={() => submit('launch')}
        />
      </div>
    </main>
  );
}
