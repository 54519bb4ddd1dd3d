// The Models commands: download, try, merge, evaluate and reveal an adapter. Each a small factory over its deps.
import * as vscode from 'vscode';
import { existsSync } from 'node:fs';
import { join, posix } from 'node:path';
import type { RunsPort } from '../runs/runsPort';
import { adaptersFromRuns, modelShortName, type AdapterRef } from './adapterRef';
import type { EvalReport } from '../../contracts/evalReport';
import { gatesSummary } from '../../shared/scorecard';
import { generateAnswers, parseToolOutput, toolFailure } from './toolOutput';
import type { TryDocuments } from './tryDocuments';
import { PROMPT_SET_GLOB } from '../../core/evaluation/promptSet';

export interface ModelCommandDeps {
  runs: RunsPort;
  log: vscode.LogOutputChannel;
  downloads: DownloadedAdapters;
  tryDocuments: TryDocuments;
}

/** Local copies of remote adapters, remembered across sessions. */
export class DownloadedAdapters {
  private static readonly KEY = 'brightrun.downloadedAdapters';
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;

  constructor(private readonly state: vscode.Memento) {}

  map(): ReadonlyMap<string, string> {
    const stored = this.state.get<Record<string, string>>(DownloadedAdapters.KEY) ?? {};
    return new Map(Object.entries(stored).filter(([, path]) => existsSync(path)));
  }

  async set(runId: string, path: string): Promise<void> {
    await this.state.update(DownloadedAdapters.KEY, { ...Object.fromEntries(this.map()), [runId]: path });
    this.changed.fire();
  }
}

/** An adapter from a Models item, a Runs item, a run id, or a quick pick. */
export async function resolveAdapter(deps: Pick<ModelCommandDeps, 'runs' | 'downloads'>, arg: unknown, title: string): Promise<AdapterRef | undefined> {
  const adapters = adaptersFromRuns(deps.runs.list(), deps.downloads.map());
  const direct = arg && typeof arg === 'object' && 'adapter' in arg ? (arg as { adapter: AdapterRef }).adapter : undefined;
  if (direct) return adapters.find((a) => a.runId === direct.runId) ?? direct;
  const runId =
    typeof arg === 'string'
      ? arg
      : arg && typeof arg === 'object' && typeof (arg as { runId?: unknown }).runId === 'string'
        ? (arg as { runId: string }).runId
        : undefined;
  if (runId) {
    const found = adapters.find((a) => a.runId === runId);
    if (!found) void vscode.window.showWarningMessage(`Run ${runId} has no adapter (it did not complete).`);
    return found;
  }
  if (adapters.length === 0) {
    void vscode.window.showInformationMessage('No adapters yet: they appear when a training run completes.');
    return undefined;
  }
  const picked = await vscode.window.showQuickPick(
    adapters.map((a) => ({ label: a.runLabel, description: `${a.baseModel} · ${a.host}`, adapter: a })),
    { title },
  );
  return picked?.adapter;
}

function workspaceFolder(): string | undefined {
  return vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** A local copy of the adapter: the adapter itself on the local host, else a download into the workspace. */
export async function ensureLocalAdapter(deps: ModelCommandDeps, adapter: AdapterRef): Promise<string | undefined> {
  if (adapter.localPath && existsSync(adapter.localPath)) return adapter.localPath;
  const root = workspaceFolder();
  if (!root) {
    void vscode.window.showWarningMessage('Open a folder first: remote adapters are downloaded into the workspace.');
    return undefined;
  }
  const target = join(root, 'adapters', adapter.runId);
  await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `Downloading the adapter of ${adapter.runLabel} from ${adapter.host}` },
    async (progress) => {
      let reported = 0;
      await deps.runs.downloadAdapter(adapter.runId, target, (done, total) => {
        const percent = total > 0 ? Math.floor((done / total) * 100) : 0;
        progress.report({ message: `${percent}% of ${(total / 1e6).toFixed(1)} MB`, increment: percent - reported });
        reported = percent;
      });
    },
  );
  await deps.downloads.set(adapter.runId, target);
  deps.log.info(`Downloaded adapter of ${adapter.runId} to ${target}`);
  return target;
}

export function createDownloadAdapterCommand(deps: ModelCommandDeps) {
  return async (arg?: unknown) => {
    const adapter = await resolveAdapter(deps, arg, 'Download which adapter?');
    if (!adapter) return;
    if (adapter.host === 'local') {
      void vscode.window.showInformationMessage(`The adapter of ${adapter.runLabel} is already on this machine: ${adapter.hostPath}`);
      return;
    }
    try {
      const path = await ensureLocalAdapter(deps, { ...adapter, localPath: null });
      if (path && (await vscode.window.showInformationMessage(`Adapter downloaded to ${vscode.workspace.asRelativePath(path)}.`, 'Reveal')) === 'Reveal') {
        await vscode.commands.executeCommand('revealInExplorer', vscode.Uri.file(path));
      }
    } catch (error) {
      deps.log.error(`Download of ${adapter.runId} failed: ${errorText(error)}`);
      void vscode.window.showErrorMessage(`Downloading the adapter of ${adapter.runLabel} failed: ${errorText(error)}`);
    }
  };
}

export function createTryAdapterCommand(deps: ModelCommandDeps) {
  return async (arg?: unknown) => {
    const adapter = await resolveAdapter(deps, arg, 'Try which adapter?');
    if (!adapter) return;
    const prompt = await vscode.window.showInputBox({
      title: `Try the adapter of ${adapter.runLabel}`,
      prompt: `A prompt for ${adapter.baseModel}, answered with and without the adapter (on ${adapter.host})`,
      placeHolder: 'e.g. How do I reset my password?',
      ignoreFocusOut: true,
      validateInput: (value) => (value.trim() ? null : 'Type a prompt.'),
    });
    if (!prompt?.trim()) return;
    try {
      const result = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: `Generating with and without the adapter on ${adapter.host}…` },
        () => deps.runs.trainerTool(adapter.host, ['generate', '--adapter', adapter.hostPath, '--prompt', prompt.trim()]),
      );
      const output = parseToolOutput(result.stdout);
      const answers = generateAnswers(output);
      if (result.code !== 0 || answers.adapter === null) throw new Error(toolFailure(output, result.stderr));
      await deps.tryDocuments.show(prompt.trim(), answers.base, answers.adapter, adapter.runLabel);
    } catch (error) {
      deps.log.error(`Try ${adapter.runId}: ${errorText(error)}`);
      void vscode.window.showErrorMessage(`Trying the adapter of ${adapter.runLabel} failed: ${errorText(error)}`);
    }
  };
}

export function createMergeAdapterCommand(deps: ModelCommandDeps) {
  return async (arg?: unknown) => {
    const adapter = await resolveAdapter(deps, arg, 'Merge which adapter into its base model?');
    if (!adapter) return;
    const out = posix.join(posix.dirname(adapter.hostPath), 'merged');
    const go = await vscode.window.showInformationMessage(
      `Merge the adapter of ${adapter.runLabel} into ${adapter.baseModel}?`,
      { modal: true, detail: `The full merged model is written on ${adapter.host} to ${out}. It is as large as the base model.` },
      'Merge',
    );
    if (go !== 'Merge') return;
    try {
      const result = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Merging on ${adapter.host}…` }, () =>
        deps.runs.trainerTool(adapter.host, ['merge', '--adapter', adapter.hostPath, '--out', out]),
      );
      if (result.code !== 0) throw new Error(toolFailure(parseToolOutput(result.stdout), result.stderr));
      deps.log.info(`Merged ${adapter.runId} into ${out} on ${adapter.host}`);
      void vscode.window.showInformationMessage(`Merged model written on ${adapter.host}: ${out}`);
    } catch (error) {
      void vscode.window.showErrorMessage(`Merging the adapter of ${adapter.runLabel} failed: ${errorText(error)}`);
    }
  };
}

/** Where the Evaluate command shows its progress and result (the Evaluation panel). */
export interface EvaluationView {
  show(runId: string, report?: EvalReport | null): Promise<void>;
  busy(runId: string, message: string | null): void;
  failed(runId: string, error: string): void;
}

/** The prompts to answer: the run's validation examples, a *.prompts.jsonl of the workspace, or any file. */
async function pickPrompts(title: string): Promise<{ file: string | undefined } | undefined> {
  const found = await vscode.workspace.findFiles(PROMPT_SET_GLOB, '**/node_modules/**', 50);
  const items: (vscode.QuickPickItem & { file?: string; browse?: boolean })[] = [
    { label: '$(list-flat) Prompts from the validation set', description: 'the questions of the held-out examples, with their answers as references' },
    ...found.map((uri) => ({ label: `$(file) ${vscode.workspace.asRelativePath(uri)}`, description: 'prompt set', file: uri.fsPath })),
    { label: '$(folder-opened) Another prompt set…', description: '{"prompt": ..., "reference": ...} per line', browse: true },
  ];
  const picked = await vscode.window.showQuickPick(items, { title, placeHolder: 'Which prompts should the base model and the adapter answer?' });
  if (!picked) return undefined;
  if (!picked.browse) return { file: picked.file };
  const chosen = await vscode.window.showOpenDialog({ canSelectMany: false, filters: { 'JSON Lines': ['jsonl'] }, title: 'Prompt set' });
  return chosen?.[0] ? { file: chosen[0].fsPath } : undefined;
}

export function createEvaluateAdapterCommand(deps: ModelCommandDeps & { evaluations: EvaluationView }) {
  return async (arg?: unknown) => {
    const adapter = await resolveAdapter(deps, arg, 'Evaluate which adapter?');
    if (!adapter) return;
    const prompts = await pickPrompts(`Evaluate ${adapter.runLabel} against ${modelShortName(adapter.baseModel)}`);
    if (!prompts) return;
    await deps.evaluations.show(adapter.runId);
    try {
      const report = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: `Evaluating ${adapter.runLabel} on ${adapter.host}` },
        async (progress) => {
          const message = 'base model against adapter: validation and general-text perplexity, answers to prompts, quality gates…';
          progress.report({ message });
          deps.evaluations.busy(adapter.runId, message);
          return deps.runs.evaluate(adapter.runId, { promptsFile: prompts.file });
        },
      );
      deps.log.info(`Evaluated ${adapter.runId}: ${gatesSummary(report)}`);
      await deps.evaluations.show(adapter.runId, report);
      if (!report.passed) void vscode.window.showWarningMessage(`${adapter.runLabel}: ${gatesSummary(report)}`);
    } catch (error) {
      deps.log.error(`Evaluate ${adapter.runId}: ${errorText(error)}`);
      deps.evaluations.failed(adapter.runId, errorText(error));
      void vscode.window.showErrorMessage(`Evaluating the adapter of ${adapter.runLabel} failed: ${errorText(error)}`);
    }
  };
}

export function createRevealAdapterCommand(deps: ModelCommandDeps) {
  return async (arg?: unknown) => {
    const adapter = await resolveAdapter(deps, arg, 'Reveal which adapter?');
    if (!adapter) return;
    if (!adapter.localPath || !existsSync(adapter.localPath)) {
      void vscode.window.showInformationMessage(`The adapter of ${adapter.runLabel} is on ${adapter.host} (${adapter.hostPath}). Download it first.`);
      return;
    }
    const uri = vscode.Uri.file(adapter.localPath);
    if (vscode.workspace.getWorkspaceFolder(uri)) await vscode.commands.executeCommand('revealInExplorer', uri);
    else if (vscode.env.uiKind === vscode.UIKind.Desktop && !vscode.env.remoteName) await vscode.commands.executeCommand('revealFileInOS', uri);
    else await vscode.commands.executeCommand('vscode.openFolder', uri, { forceNewWindow: true });
  };
}
