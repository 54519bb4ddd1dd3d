// A stand-in for the extension host inside a plain browser page: acquireVsCodeApi() with getState/setState
// (kept in sessionStorage, so a reload restores like VS Code does), every posted message recorded in
// window.__posted, and answers from a scenario: `init` on ready, plausible results for the launch form's
// requests. The function is serialised into the page, so it uses nothing from its module scope.

export interface Scenario {
  panel: 'monitor' | 'launch' | 'compare' | 'spend';
  init: unknown;
  /** What the host sends right after `init` (the launch form's templates, say). */
  after?: unknown[];
}

function installFakeHost(scenario: Scenario): void {
  const w = window as unknown as Record<string, unknown>;
  const posted: unknown[] = [];
  w.__posted = posted;
  const reply = (message: unknown) => setTimeout(() => window.postMessage(message, '*'), 0);
  const init = scenario.init as Record<string, unknown>;
  const respond = (m: Record<string, unknown>) => {
    const id = m.requestId;
    switch (m.type) {
      case 'ready':
        if (w.__holdInit !== true) {
          reply(init);
          for (const message of scenario.after ?? []) reply(message);
        }
        break;
      case 'estimate': {
        const config = (m.config ?? {}) as Record<string, unknown>;
        const datasets = (init.datasets ?? []) as { path: string; stats: { examples: number } | null }[];
        const train = datasets.find((d) => d.path === (config.datasets as { train?: string } | undefined)?.train);
        const hp = (config.hyperparameters ?? {}) as Record<string, number>;
        const epochs = hp.epochs ?? 2;
        const batch = (hp.batchSize ?? 4) * (hp.gradAccum ?? 4) * (Number(config.gpus) || 1);
        if (!train?.stats) {
          reply({ type: 'estimateResult', requestId: id, estimate: null, error: 'Pick a training file with statistics.' });
          break;
        }
        const steps = Math.ceil((train.stats.examples * epochs) / batch);
        const seconds = steps * 1.6;
        const price = Number(config.pricePerGpuHour ?? 0) * (Number(config.gpus) || 1);
        reply({
          type: 'estimateResult',
          requestId: id,
          estimate: {
            steps,
            duration_s: seconds,
            cost_usd: price > 0 ? (seconds / 3600) * price : null,
            basis: `${train.stats.examples} examples x ${epochs} epochs / batch ${batch}; 1.6 s/step measured on this host`,
          },
        });
        break;
      }
      case 'preflight': {
        const host = ((init.hosts ?? []) as { name: string; preflight: unknown }[]).find((h) => h.name === m.host);
        reply({
          type: 'preflightResult',
          requestId: id,
          host: m.host,
          preflight: host?.preflight ?? null,
          error: host?.preflight ? undefined : 'Preflight is not simulated for this host.',
        });
        break;
      }
      case 'save':
        reply({ type: 'saveResult', requestId: id, ok: true, configPath: '/workspace/support.brightrun.json' });
        break;
      case 'launch':
        reply({ type: 'launchResult', requestId: id, ok: true, runId: 'support-20260112-0930', configPath: '/workspace/support.brightrun.json' });
        break;
      case 'action':
        reply({ type: 'actionResult', requestId: id, ok: true });
        break;
    }
  };
  w.acquireVsCodeApi = () => ({
    postMessage(message: Record<string, unknown>) {
      posted.push(message);
      respond(message);
    },
    getState() {
      const saved = sessionStorage.getItem('vscode-state');
      return saved === null ? undefined : JSON.parse(saved);
    },
    setState(state: unknown) {
      sessionStorage.setItem('vscode-state', JSON.stringify(state));
    },
  });
}

/** A Float64Array in the scenario's JSON (JSON would write it as an object): its values, NaN as null. */
const FLOAT64_KEY = '__float64';

function reviveFloat64Arrays(value: unknown): unknown {
  if (typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) return value.map(reviveFloat64Arrays);
  const record = value as Record<string, unknown>;
  // The literal, not FLOAT64_KEY: this function runs in the page, without this module.
  const values = record['__float64'];
  if (Array.isArray(values)) return Float64Array.from(values as (number | null)[], (v) => (v === null ? Number.NaN : v));
  return Object.fromEntries(Object.entries(record).map(([k, v]) => [k, reviveFloat64Arrays(v)]));
}

export function fakeHostScript(scenario: Scenario): string {
  // Typed arrays (a monitor history's columns) reach the page as typed arrays, as VS Code delivers them.
  const json = JSON.stringify(scenario, (_key, value: unknown) => (value instanceof Float64Array ? { [FLOAT64_KEY]: Array.from(value) } : value));
  // '<' escaped so a value containing "</script>" cannot end the inline script.
  // tsx/esbuild may wrap named functions in a __name() helper that does not exist in the page.
  return `var __name = (f) => f; (${installFakeHost.toString()})((${reviveFloat64Arrays.toString()})(${json.replace(/</g, '\\u003c')}));`;
}
