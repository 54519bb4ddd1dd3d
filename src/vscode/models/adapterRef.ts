// One trained adapter as the Models view and its commands see it. Pure (no 'vscode' import).
import { formatLoss } from '../runs/runText';
import type { RunInfo } from '../../core/runs/runInfo';
import { runLabel } from '../runs/runText';
import { completedAdapter } from '../runs/runFacts';

export interface AdapterRef {
  runId: string;
  runLabel: string;
  host: string;
  /** Where the adapter is on the host that trained it. */
  hostPath: string;
  /** A copy on this machine: hostPath itself for the local host, or a downloaded copy; null when not downloaded. */
  localPath: string | null;
  baseModel: string;
  evalLoss: number | null;
  endedAt: string | null;
}

/** Adapters of completed runs, newest first; `downloaded` maps run ids to local copies of remote adapters. */
export function adaptersFromRuns(runs: readonly RunInfo[], downloaded: ReadonlyMap<string, string>): AdapterRef[] {
  return runs
    .flatMap((run) => {
      const hostPath = completedAdapter(run);
      return hostPath ? [{ run, hostPath }] : [];
    })
    .map(({ run, hostPath }) => ({
      runId: run.id,
      runLabel: runLabel(run),
      host: run.host,
      hostPath,
      localPath: run.host === 'local' ? hostPath : (downloaded.get(run.id) ?? null),
      baseModel: run.config.baseModel,
      evalLoss: run.evalLoss,
      endedAt: run.endedAt,
    }))
    .sort((a, b) => (b.endedAt ?? '').localeCompare(a.endedAt ?? '') || b.runId.localeCompare(a.runId));
}

export function adapterContextValue(adapter: AdapterRef): string {
  if (adapter.host === 'local') return 'adapter:local';
  return adapter.localPath ? 'adapter:remote:downloaded' : 'adapter:remote';
}

export function adapterDescription(adapter: AdapterRef): string {
  const loss = formatLoss(adapter.evalLoss);
  const where = adapter.host === 'local' ? 'local' : adapter.localPath ? `${adapter.host}, downloaded` : adapter.host;
  return [modelShortName(adapter.baseModel), loss ? `eval loss ${loss}` : null, where].filter(Boolean).join(' · ');
}

export function adapterTooltip(adapter: AdapterRef): string {
  return [
    `Adapter of run ${adapter.runLabel}`,
    `Base model: ${adapter.baseModel}`,
    `Eval loss: ${formatLoss(adapter.evalLoss) ?? 'not measured'}`,
    `On ${adapter.host}: ${adapter.hostPath}`,
    adapter.host !== 'local' ? (adapter.localPath ? `Downloaded to ${adapter.localPath}` : 'Not downloaded yet') : null,
  ]
    .filter(Boolean)
    .join('\n');
}

/** "Qwen/Qwen2.5-0.5B" -> "Qwen2.5-0.5B"; "/models/tiny/" -> "tiny". */
export function modelShortName(baseModel: string): string {
  return (
    baseModel
      .replace(/[\\/]+$/, '')
      .split(/[\\/]/)
      .pop() || baseModel
  );
}
