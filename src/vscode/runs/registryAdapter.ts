// RunsPort on the engine's RunRegistry: the one place that knows the engine's API. Removing a run goes to the
// registry (it forgets the run for the editor and the CLI alike); runs that older versions only hid in the
// extension's storage stay hidden.
import { launchSweep } from '../../core/sweeps/launchSweep';
import { mkdir, rename, rm } from 'node:fs/promises';
import { join, posix } from 'node:path';
import type { Host } from '../../core/hosts/host';
import type { PreflightReport } from '../../core/hosts/preflight';
import { runPreflight } from '../../platform/sshPreflight';
import { downloadFolder } from '../../platform/sshFolderDownload';
import { writeFileAtomic } from '../../platform/localHost';
import { parseRunConfigText, formatProblems } from '../../contracts/validateRunConfig';
import type { RunEvent } from '../../contracts/events';
import { LOCAL_HOST, runFile, type HostRegistry, type RunChange, type RunRegistry } from '../../core/runs';
import type { RunsPort } from './runsPort';
import type { EvalReport } from '../../contracts/evalReport';
import {
  EVAL_MARKDOWN_FILE,
  EVAL_REPORT_FILE,
  evaluateRun,
  parseEvalReportText,
  readEvalReport,
  type EvaluateOptions,
} from '../../core/evaluation/runEvaluation';
import { lastLines, monitorRunFromInfo } from './monitorRun';
import type { RunInfo } from '../../core/runs/runInfo';

export interface ListState {
  get<T>(key: string): T | undefined;
  update(key: string, value: unknown): Thenable<void> | Promise<void>;
}

export interface RegistryAdapterDeps {
  registry: RunRegistry;
  hosts: HostRegistry;
  /** Where older versions remembered which runs the user removed from the list (read only now). */
  state: ListState;
  readTextFile(path: string): Promise<string>;
  log: { info(message: string): void; warn(message: string): void; error(message: string): void };
  /** Notices from the engine worth showing (a host that cannot be reached...). */
  onNotice?(severity: 'info' | 'warning' | 'error', message: string): void;
}

export const HIDDEN_RUNS_KEY = 'brightrun.hiddenRuns';
const LOG_WINDOW_BYTES = 64 * 1024;

export class RegistryRunsPort implements RunsPort {
  private hidden: Set<string>;
  private readonly listeners = new Set<(ids: string[]) => void>();
  private readonly subscription: { dispose(): void };

  constructor(private readonly deps: RegistryAdapterDeps) {
    this.hidden = new Set(deps.state.get<string[]>(HIDDEN_RUNS_KEY) ?? []);
    this.subscription = deps.registry.onDidChange((change) => this.onChange(change));
  }

  private onChange(change: RunChange): void {
    if (change.kind === 'notice') {
      const log = change.severity === 'error' ? this.deps.log.error : change.severity === 'warning' ? this.deps.log.warn : this.deps.log.info;
      log.call(this.deps.log, change.message);
      // Ends of runs are announced by the editor's own notifications; other problems (a host that cannot be
      // reached for re-attach, a budget stop that failed) are shown as they come.
      const isEnd = change.message.startsWith(`Run ${change.run.id} ${change.run.state}`) || change.message.startsWith(`Run ${change.run.id}:`);
      if (!isEnd && change.severity !== 'info') this.deps.onNotice?.(change.severity, change.message);
      return;
    }
    if (change.kind === 'added' && this.hidden.delete(change.run.id)) void this.saveHidden();
    if (change.kind !== 'removed' && this.hidden.has(change.run.id)) return;
    this.fire([change.run.id]);
  }

  private fire(ids: string[]): void {
    for (const listener of [...this.listeners]) listener(ids);
  }

  private saveHidden(): Promise<void> {
    return Promise.resolve(this.deps.state.update(HIDDEN_RUNS_KEY, [...this.hidden]));
  }

  private info(runId: string) {
    const info = this.hidden.has(runId) ? undefined : this.deps.registry.get(runId);
    if (!info) throw new Error(`Run ${runId} is not in the Runs list.`);
    return info;
  }

  private async hostOf(runId: string): Promise<Host> {
    return (await this.deps.hosts.get(this.info(runId).host)).host;
  }

  list(): RunInfo[] {
    return this.deps.registry.list().filter((info) => !this.hidden.has(info.id));
  }

  get(runId: string): RunInfo | undefined {
    const info = this.hidden.has(runId) ? undefined : this.deps.registry.get(runId);
    return info;
  }

  onDidChange(listener: (runIds: string[]) => void) {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  history(runId: string): Promise<RunEvent[]> {
    return this.deps.registry.events(runId);
  }

  onEvents(runId: string, listener: (events: RunEvent[]) => void) {
    return this.deps.registry.onDidAppendEvents((batch) => {
      if (batch.runId === runId && batch.events.length) listener(batch.events);
    });
  }

  monitorSummary(runId: string) {
    const info = this.hidden.has(runId) ? undefined : this.deps.registry.get(runId);
    return info ? monitorRunFromInfo(info, Date.now()) : undefined;
  }

  async logTail(runId: string, lines: number): Promise<string[]> {
    const info = this.info(runId);
    const host = await this.hostOf(runId);
    const path = runFile(info.runDir, 'log');
    const stat = await host.stat(path);
    if (!stat) return [];
    const start = Math.max(0, stat.size - LOG_WINDOW_BYTES);
    const chunk = await host.readFrom(path, start, LOG_WINDOW_BYTES);
    return lastLines(chunk.toString('utf8'), lines, start > 0);
  }

  async config(runId: string): Promise<Record<string, unknown> | null> {
    const info = this.info(runId);
    try {
      return JSON.parse(await this.deps.readTextFile(join(info.mirrorDir, 'config.json')));
    } catch {
      return null;
    }
  }

  async launch(configPath: string): Promise<string> {
    const parsed = parseRunConfigText(await this.deps.readTextFile(configPath));
    if (!parsed.ok) throw new Error(`${configPath} is not a valid run config:\n${formatProblems(parsed.problems)}`);
    if (parsed.config.template) throw new Error(`${configPath} is a run template: make a run from it in the launch form, which asks for its variables`);
    const request = { config: parsed.config, configFile: configPath, onProgress: (m: string) => this.deps.log.info(`launch: ${m}`) };
    if (parsed.config.sweep) {
      // Every run of the sweep goes through the launcher (the host's queue orders them); the first one is shown.
      const sweep = await launchSweep(this.deps.registry, request);
      this.deps.log.info(`Sweep ${sweep.id} (${sweep.name}): launched ${sweep.runs.map((run) => run.id).join(', ')}`);
      return sweep.runs[0].id;
    }
    const info = await this.deps.registry.launch(request);
    return info.id;
  }

  async cancel(runId: string): Promise<void> {
    const outcome = await this.deps.registry.cancel(runId);
    this.deps.log.info(`Run ${runId}: cancel -> ${outcome}`);
  }

  async resume(runId: string): Promise<void> {
    await this.deps.registry.resume(runId);
  }

  moveUp(runId: string): Promise<number> {
    return this.deps.registry.moveUp(runId);
  }

  /** Forgets the run in the registry (index entry and local mirror); refused while it is still active. The
   *  registry's 'removed' change updates the views. */
  async remove(runId: string): Promise<void> {
    await this.deps.registry.remove(runId);
    if (this.hidden.delete(runId)) await this.saveHidden();
  }

  async refresh(): Promise<void> {
    const active = this.list().filter((run) => run.state === 'starting' || run.state === 'running');
    await Promise.all(active.map((run) => this.deps.registry.sync(run.id).catch((error) => this.deps.log.warn(`refresh ${run.id}: ${error}`))));
    this.fire([]);
  }

  localFolder(runId: string): string | undefined {
    const info = this.deps.registry.get(runId);
    if (!info) return undefined;
    return info.host === LOCAL_HOST ? info.runDir : info.mirrorDir;
  }

  async localLogFile(runId: string): Promise<string | undefined> {
    const info = this.info(runId);
    const remote = runFile(info.runDir, 'log');
    if (info.host === LOCAL_HOST) return remote;
    const host = await this.hostOf(runId);
    if (!(await host.stat(remote))) return undefined;
    const local = join(info.mirrorDir, 'trainer.log');
    await host.download(remote, local);
    return local;
  }

  async downloadAdapter(runId: string, localDir: string, onProgress: (done: number, total: number) => void): Promise<void> {
    const info = this.info(runId);
    if (!info.adapterPath) throw new Error(`Run ${runId} has no adapter.`);
    const host = await this.hostOf(runId);
    // Into a temporary folder first, so a cancelled or failed download never looks like a complete adapter.
    const partial = `${localDir}.partial`;
    await rm(partial, { recursive: true, force: true });
    // The host names the files: names that would leave the folder, symlinks and special files are skipped.
    const { files } = await downloadFolder(host, info.adapterPath, partial, { onProgress, onSkip: (message) => this.deps.log.warn(message) });
    if (files.length === 0) throw new Error(`The adapter folder ${info.adapterPath} on ${info.host} is empty or gone.`);
    await rm(localDir, { recursive: true, force: true });
    await rename(partial, localDir);
  }

  async preflight(hostName: string): Promise<PreflightReport> {
    const session = await this.deps.hosts.get(hostName);
    // SSH sessions run it before installing anything; the local host is checked with the Python it trains with.
    const own = (session as Partial<{ preflight(): Promise<PreflightReport> }>).preflight;
    if (own) return own.call(session);
    const runtime = await session.runtime();
    return runPreflight(session.host, { python: runtime.python, manageEnv: false }, runtime.env.PYTHONPATH ?? '.');
  }

  async listModels(hostName: string, projectDir: string) {
    const session = await this.deps.hosts.get(hostName);
    // Only the local session lists without building anything; an SSH host would need its environment first.
    const own = (session as Partial<{ listModels(projectDir: string): Promise<{ code: number; stdout: string; stderr: string }> }>).listModels;
    if (!own) throw new Error(`the models on ${hostName} are not listed: only this machine's are offered`);
    return own.call(session, projectDir);
  }

  throughputHistory() {
    return this.deps.registry.throughputHistory();
  }

  spendRuns() {
    return this.deps.registry.spendRuns().filter((run) => !this.hidden.has(run.id));
  }

  async evaluate(runId: string, options: EvaluateOptions): Promise<EvalReport> {
    const info = this.info(runId);
    const report = await evaluateRun(await this.deps.hosts.get(info.host), { id: info.id, host: info.host, runDir: info.runDir }, options);
    await this.keepEvalReport(info.mirrorDir, report);
    return report;
  }

  async evalReport(runId: string): Promise<EvalReport | null> {
    const info = this.info(runId);
    const copy = join(info.mirrorDir, EVAL_REPORT_FILE);
    try {
      return parseEvalReportText(await this.deps.readTextFile(copy), copy);
    } catch {
      // no copy yet (or a damaged one): the host has the report training wrote beside the adapter
    }
    if (!info.adapterPath) return null;
    const report = await readEvalReport(await this.deps.hosts.get(info.host), info.adapterPath);
    if (report) await this.keepEvalReport(info.mirrorDir, report);
    return report;
  }

  async evalMarkdown(runId: string): Promise<string | null> {
    const info = this.info(runId);
    const copy = join(info.mirrorDir, EVAL_MARKDOWN_FILE);
    const report = await this.evalReport(runId);
    if (!report) return null;
    try {
      const text = await this.deps.readTextFile(copy);
      // The copy belongs to this report only if it was written with it (the report's time is in its first lines).
      if (text.includes(report.created_at)) return text;
    } catch {
      // not copied yet
    }
    const host = (await this.deps.hosts.get(info.host)).host;
    const remote = posix.join(info.adapterPath ?? report.adapter_path, EVAL_MARKDOWN_FILE);
    if (!(await host.stat(remote))) return null;
    const text = (await host.readFile(remote)).toString('utf8');
    await this.keepEvalFile(info.mirrorDir, EVAL_MARKDOWN_FILE, text);
    return text;
  }

  private async keepEvalReport(mirrorDir: string, report: EvalReport): Promise<void> {
    await this.keepEvalFile(mirrorDir, EVAL_REPORT_FILE, JSON.stringify(report, null, 2) + '\n');
  }

  private async keepEvalFile(mirrorDir: string, name: string, text: string): Promise<void> {
    try {
      await mkdir(mirrorDir, { recursive: true });
      await writeFileAtomic(join(mirrorDir, name), text);
    } catch (error) {
      this.deps.log.warn(`${name} could not be kept in ${mirrorDir}: ${error}`);
    }
  }

  async trainerTool(hostName: string, args: string[]) {
    const session = await this.deps.hosts.get(hostName);
    const runtime = await session.runtime();
    return session.host.exec([runtime.python, '-m', 'brightrun_trainer', ...args], { env: runtime.env });
  }

  dispose(): void {
    this.subscription.dispose();
    this.listeners.clear();
  }
}
