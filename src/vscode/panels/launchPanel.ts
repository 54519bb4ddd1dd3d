// Hosts the launch form: sends the config being edited with the workspace's datasets and the hosts (then the
// models already on this machine, for the base model), answers estimate / preflight / statistics requests, saves
// the *.brightrun.json (checked with the same zod schema as the file), and on Launch saves, starts the run
// through the engine and opens its monitor. It also offers the workspace's run templates, and opens as a new run
// made from one (Save writes a normal run config: the template's variables filled, no template block).
import type * as vscode from 'vscode';
import { randomBytes } from 'node:crypto';
import { existsSync, statSync } from 'node:fs';
import { readFile, rename, writeFile } from 'node:fs/promises';
import { basename, dirname, resolve } from 'node:path';
import { validateRunConfig } from '../../contracts/validateRunConfig';
import type { ThroughputSample } from '../../core/config/estimate';
import type { DatasetStats } from '../../contracts/dataset';
import { LaunchWebviewMessage, type HostEntry, type LaunchHostMessage, type PreflightView } from '../../shared/launchProtocol';
import type { RunsPort } from '../runs/runsPort';
import { statsUnavailable } from '../validation/summaryText';
import {
  configBaseDir,
  configFileName,
  configFileText,
  datasetEntries,
  defaultRunConfig,
  estimateForConfig,
  guessValidationFile,
  modelSuggestionsFromOutput,
  ownSavePath,
  rebaseConfigPaths,
  restorableConfigPath,
  unusedPath,
} from './launchLogic';
import { templateEntries, templateEntry, type TemplateFiles } from './launchTemplates';
import type { LogApi } from '../api/log';
import type { PanelFactory, WebviewPanelApi } from '../api/webviewPanel';
import type { WindowApi } from '../api/window';
import type { WorkspaceApi } from '../api/workspace';
import { PanelFrame } from './panelFrame';

export const LAUNCH_VIEW_TYPE = 'brightrun.launch';

/**
 * The workspace's datasets: the Datasets view's index, whose statistics are computed once per file version on the
 * validation worker (within a time budget), so the form never validates on the extension host's thread.
 */
export interface DatasetsSource {
  start(): Promise<void>;
  list(): readonly { uri: vscode.Uri; stats?: DatasetStats; validating?: boolean; tooSlow?: boolean; error?: string }[];
  onDidChange: vscode.Event<void>;
}

export interface HostsSource {
  list(): HostEntry[];
  preflight(hostName: string): Promise<PreflightView>;
  gpuOf(hostName: string): string | undefined;
  /** The trainer's `list-models` on this machine: the models the form offers for baseModel. */
  listModels(projectDir: string): Promise<{ code: number; stdout: string; stderr: string }>;
}

export interface LaunchPanelDeps {
  runs: RunsPort;
  datasets: DatasetsSource;
  hosts: HostsSource;
  log: LogApi;
  window: WindowApi;
  workspace: WorkspaceApi;
  panels: PanelFactory;
  /** The workspace's *.brightrun.json files, for the templates among them. */
  templates: TemplateFiles;
  throughputHistory(): ThroughputSample[];
  showMonitor(runId: string): void;
}

function workspaceRoot(deps: LaunchPanelDeps): string {
  return deps.workspace.rootPath() ?? process.cwd();
}

async function writeAtomic(path: string, text: string): Promise<void> {
  const temp = `${path}.${randomBytes(4).toString('hex')}.tmp`;
  await writeFile(temp, text, 'utf8');
  await rename(temp, path);
}

export class LaunchPanel {
  private readonly frame: PanelFrame<LaunchWebviewMessage, LaunchHostMessage>;

  constructor(
    panel: WebviewPanelApi,
    private readonly deps: LaunchPanelDeps,
    private configPath: string | null,
    private readonly initial: Record<string, unknown> | null,
    onDispose: () => void,
    /** A template file the new form is made from. */
    private readonly fromTemplate: string | null = null,
  ) {
    this.frame = new PanelFrame(
      panel,
      'launch',
      LaunchWebviewMessage,
      {
        ready: async () => {
          await this.sendInit();
          void this.sendModels();
          void this.sendTemplates();
        },
        estimate: (m) => {
          const answer = estimateForConfig(m.config, {
            baseDir: this.baseDir(),
            statsFor: (path) => this.statsFor(path),
            gpu: deps.hosts.gpuOf(String(m.config.host ?? 'local')),
            hostPricePerGpuHour: deps.hosts.list().find((h) => h.name === m.config.host)?.pricePerGpuHour,
            history: deps.throughputHistory(),
          });
          this.frame.post({ type: 'estimateResult', requestId: m.requestId, estimate: answer.estimate, ...(answer.error ? { error: answer.error } : {}) });
        },
        preflight: async (m) => {
          try {
            const preflight = await deps.hosts.preflight(m.host);
            this.frame.post({ type: 'preflightResult', requestId: m.requestId, host: m.host, preflight });
            this.frame.post({ type: 'hosts', hosts: deps.hosts.list() });
          } catch (error) {
            this.frame.post({ type: 'preflightResult', requestId: m.requestId, host: m.host, preflight: null, error: errorText(error) });
          }
        },
        stats: (m) => {
          const entry = this.entryFor(resolve(this.baseDir(), m.path));
          const stats = entry?.stats;
          const error = (entry && statsUnavailable(entry)) ?? `${m.path} is not a validated workspace dataset.`;
          this.frame.post({ type: 'statsResult', requestId: m.requestId, path: m.path, stats: stats ?? null, ...(stats ? {} : { error }) });
        },
        save: async (m) => {
          const saved = await this.save(m.configPath, m.config);
          this.frame.post(
            saved.ok
              ? { type: 'saveResult', requestId: m.requestId, ok: true, configPath: saved.path }
              : { type: 'saveResult', requestId: m.requestId, ok: false, error: saved.error, problems: saved.problems },
          );
        },
        launch: async (m) => {
          const saved = await this.save(m.configPath, m.config);
          if (!saved.ok) {
            this.frame.post({ type: 'launchResult', requestId: m.requestId, ok: false, error: saved.error, problems: saved.problems });
            return;
          }
          try {
            const runId = await deps.window.withProgress({ title: `Launching ${basename(saved.path)}` }, () => deps.runs.launch(saved.path));
            this.frame.post({ type: 'launchResult', requestId: m.requestId, ok: true, runId, configPath: saved.path });
            deps.showMonitor(runId);
          } catch (error) {
            deps.log.error(`Launch of ${saved.path} failed: ${errorText(error)}`);
            this.frame.post({ type: 'launchResult', requestId: m.requestId, ok: false, error: errorText(error), problems: [] });
          }
        },
        browseModel: async (m) => {
          const picked = await deps.window.showFolderDialog({ openLabel: 'Use as base model', title: 'A model folder (config.json + weights)' });
          this.frame.post({ type: 'browseResult', requestId: m.requestId, path: picked ?? null });
        },
      },
      deps.log,
    );
    this.frame.track(deps.datasets.onDidChange(() => this.frame.post({ type: 'datasets', datasets: this.datasets() })));
    // A template saved (or edited) while the form is open is offered at once.
    this.frame.track(deps.templates.onDidChange(() => void this.sendTemplates()));
    this.frame.track(panel.onDidDispose(onDispose));
    void deps.datasets.start();
  }

  get path(): string | null {
    return this.configPath;
  }

  reveal(): void {
    this.frame.panel.reveal(undefined, false);
  }

  private baseDir(): string {
    return configBaseDir(this.configPath, workspaceRoot(this.deps));
  }

  private entryFor(absolutePath: string) {
    return this.deps.datasets.list().find((entry) => resolve(entry.uri.fsPath) === resolve(absolutePath));
  }

  private statsFor(absolutePath: string): DatasetStats | undefined {
    return this.entryFor(absolutePath)?.stats;
  }

  private datasets() {
    const files = this.deps.datasets.list().map((entry) => ({ path: entry.uri.fsPath, stats: entry.stats, unavailable: statsUnavailable(entry) }));
    return datasetEntries(files, this.baseDir(), workspaceRoot(this.deps));
  }

  private async sendInit(): Promise<void> {
    let config = this.initial ?? defaultRunConfig();
    let title = 'New Training Run';
    if (this.fromTemplate && !this.configPath) {
      const entry = await this.readTemplate(this.fromTemplate);
      if (entry) {
        config = entry.config;
        title = `New Run: ${entry.name}`;
      }
    }
    if (this.configPath) {
      try {
        config = JSON.parse(await readFile(this.configPath, 'utf8'));
      } catch (error) {
        void this.deps.window.showWarningMessage(`${basename(this.configPath)} could not be read (${errorText(error)}); the form starts from defaults.`);
      }
    }
    this.frame.panel.title = this.configPath ? `Run: ${basename(this.configPath)}` : title;
    this.frame.post({
      type: 'init',
      configPath: this.configPath,
      config,
      datasets: this.datasets(),
      hosts: this.deps.hosts.list(),
      ...(this.fromTemplate && !this.configPath ? { fromTemplate: this.fromTemplate } : {}),
    });
  }

  private async readTemplate(path: string) {
    try {
      const entry = templateEntry({ path, text: await readFile(path, 'utf8') }, this.baseDir(), workspaceRoot(this.deps));
      if (entry && !entry.problem) return entry;
      void this.deps.window.showWarningMessage(
        `${basename(path)} is not a usable template (${entry?.problem ?? 'no "template" block'}); the form starts from defaults.`,
      );
    } catch (error) {
      void this.deps.window.showWarningMessage(`${basename(path)} could not be read (${errorText(error)}); the form starts from defaults.`);
    }
    return null;
  }

  /** The workspace's templates, after init: finding them reads files, so the form never waits for them. */
  private async sendTemplates(): Promise<void> {
    try {
      const files = await this.deps.templates.list();
      this.frame.post({ type: 'templates', templates: templateEntries(files, this.baseDir(), workspaceRoot(this.deps)) });
    } catch (error) {
      this.deps.log.warn(`Run templates could not be listed: ${errorText(error)}`);
    }
  }

  /** The models already on this machine, after init: listing runs Python, so the form never waits for it, and a
   *  failure only leaves the base model without suggestions. */
  private async sendModels(): Promise<void> {
    let found: ReturnType<typeof modelSuggestionsFromOutput>;
    try {
      found = modelSuggestionsFromOutput(await this.deps.hosts.listModels(workspaceRoot(this.deps)));
    } catch (error) {
      found = { models: [], problem: `list-models could not run: ${errorText(error)}` };
    }
    if (found.problem) this.deps.log.warn(`Base model suggestions: ${found.problem}`);
    this.frame.post({ type: 'models', host: 'local', models: found.models });
  }

  private async save(
    requestedPath: string | null,
    raw: Record<string, unknown>,
  ): Promise<{ ok: true; path: string } | { ok: false; error: string; problems: { path: string; message: string }[] }> {
    const checked = validateRunConfig(raw);
    if (!checked.ok) return { ok: false, error: 'The config has problems; fix the fields marked in the form.', problems: checked.problems };
    // The webview names a path, but only the panel's own file is written (a new form asks the user).
    const own = ownSavePath(requestedPath, this.configPath);
    if (!own.ok) {
      this.deps.log.warn(own.error);
      return { ok: false, error: own.error, problems: [] };
    }
    let path = own.path;
    let config = raw;
    if (!path) {
      const chosen = await this.deps.window.showSaveDialog({
        // Never a file that exists (a template of the same name, an earlier run's config): the user may still pick one.
        defaultPath: unusedPath(resolve(workspaceRoot(this.deps), configFileName(raw.name)), existsSync),
        filters: { 'BrightRun run config': ['json'] },
        title: 'Save the run config',
        saveLabel: 'Save Config',
      });
      if (!chosen) return { ok: false, error: 'Not saved: no file was chosen.', problems: [] };
      path = chosen.endsWith('.brightrun.json') ? chosen : chosen.replace(/(\.json)?$/, '.brightrun.json');
      config = rebaseConfigPaths(raw, this.baseDir(), dirname(path));
    }
    try {
      await writeAtomic(path, configFileText(config));
    } catch (error) {
      return { ok: false, error: `Could not write ${path}: ${errorText(error)}`, problems: [] };
    }
    this.configPath = path;
    this.frame.panel.title = `Run: ${basename(path)}`;
    return { ok: true, path };
  }
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** One form per config file; each "New Training Run" gets its own. */
export class LaunchPanels implements vscode.WebviewPanelSerializer {
  private readonly open = new Set<LaunchPanel>();

  constructor(private readonly deps: LaunchPanelDeps) {}

  /** Opens the form on a config file, or a new config (optionally training on `trainFile`, or made from the
   *  template file `templatePath`). */
  show(options: { configPath?: string; trainFile?: string; templatePath?: string } = {}): void {
    if (options.templatePath) {
      const panel = this.deps.panels.create(LAUNCH_VIEW_TYPE, 'New Training Run', 'launch');
      this.adopt(panel, null, null, options.templatePath);
      return;
    }
    const existing = options.configPath
      ? [...this.open].find((panel) => panel.path && resolve(panel.path) === resolve(options.configPath as string))
      : undefined;
    if (existing) {
      existing.reveal();
      return;
    }
    let initial: Record<string, unknown> | null = null;
    if (!options.configPath) {
      const root = workspaceRoot(this.deps);
      const candidates = this.deps.datasets.list().map((entry) => entry.uri.fsPath);
      const train = options.trainFile ? datasetEntries([{ path: options.trainFile }], root, root)[0].path : undefined;
      const validationAbs = options.trainFile ? guessValidationFile(options.trainFile, candidates) : undefined;
      const validation = validationAbs ? datasetEntries([{ path: validationAbs }], root, root)[0].path : undefined;
      initial = defaultRunConfig(train, validation);
    }
    const panel = this.deps.panels.create(LAUNCH_VIEW_TYPE, options.configPath ? `Run: ${basename(options.configPath)}` : 'New Training Run', 'launch');
    this.adopt(panel, options.configPath ?? null, initial);
  }

  async deserializeWebviewPanel(panel: WebviewPanelApi, state: unknown): Promise<void> {
    const saved = state as { configPath?: unknown; config?: unknown } | undefined;
    // Saved by the webview: trusted only as an existing *.brightrun.json file.
    const configPath = restorableConfigPath(saved?.configPath, (path) => statSync(path, { throwIfNoEntry: false })?.isFile() ?? false);
    const config = saved?.config && typeof saved.config === 'object' ? (saved.config as Record<string, unknown>) : null;
    // The webview restores its own unsaved values from getState; the host only needs the file it edits.
    this.adopt(this.deps.panels.restore(panel, 'launch'), configPath, configPath ? null : config);
  }

  private adopt(panel: WebviewPanelApi, configPath: string | null, initial: Record<string, unknown> | null, fromTemplate: string | null = null): void {
    const created: LaunchPanel = new LaunchPanel(panel, this.deps, configPath, initial, () => this.open.delete(created), fromTemplate);
    this.open.add(created);
  }
}
