// "Save as Template" on a completed run (Runs view, palette): asks for the template's name (the run's name by
// default), writes NAME.brightrun.json beside the run config the run was launched from (else at the workspace
// root), asks before replacing a file, and opens it. The template itself is derived in src/core/config.
import { existsSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { templateFileStem, templateFromRun, type RunForTemplate } from '../../core/config/templateFromRun';
import type { RunInfo } from '../../core/runs/runInfo';
import type { WorkspaceApi } from '../api/workspace';
import { pickRun } from './pickRun';
import { failed, type RunCommandDeps } from './runCommands';
import { runLabel } from './runText';

export interface SaveTemplateDeps extends RunCommandDeps {
  workspace: WorkspaceApi;
  readRun(run: RunInfo): Promise<RunForTemplate>;
  writeFile(path: string, text: string, overwrite: boolean): Promise<'written' | 'exists'>;
  fileText(template: Record<string, unknown>): string;
  openFile(path: string): void;
}

function isFolder(path: string): boolean {
  return statSync(path, { throwIfNoEntry: false })?.isDirectory() ?? false;
}

/** Beside the run's own config when that folder is still there, else the workspace root. */
export function templateFolder(run: RunInfo, workspaceRoot: string | undefined): string | undefined {
  const configDir = run.configFile ? dirname(run.configFile) : undefined;
  if (configDir && isFolder(configDir)) return configDir;
  return workspaceRoot;
}

export function createSaveTemplateCommand(deps: SaveTemplateDeps) {
  return async (arg?: unknown) => {
    const run = await pickRun(deps.runs, deps.window, arg, 'Save which run as a template?', (r) => r.state === 'completed');
    if (!run) return;
    if (run.state !== 'completed') {
      void deps.window.showInformationMessage(`Run "${runLabel(run)}" is ${run.state}: only a completed run is saved as a template.`);
      return;
    }
    const root = deps.workspace.rootPath();
    const folder = templateFolder(run, root);
    if (!folder) {
      void deps.window.showInformationMessage('Open a folder first: a template is saved into the workspace.');
      return;
    }
    const name = await deps.window.showInputBox({
      title: 'Save as Template',
      prompt: `The template's name; the file is NAME.brightrun.json in ${folder}`,
      value: run.config.name ?? run.id,
      validate: (text) => (text.trim() === '' ? 'Give the template a name.' : text.length > 200 ? 'At most 200 characters.' : null),
    });
    if (name === undefined) return;
    const path = join(folder, `${templateFileStem(name.trim())}.brightrun.json`);
    try {
      const source = await deps.readRun(run);
      const configDir = run.configFile && existsSync(dirname(run.configFile)) ? dirname(run.configFile) : null;
      const template = templateFromRun(source, { configDir, templateDir: folder, projectDir: root ?? folder }, { name: name.trim() });
      const text = deps.fileText(template);
      let written = await deps.writeFile(path, text, false);
      if (written === 'exists') {
        const replace = await deps.window.showWarningMessage(
          `${basename(path)} already exists. Replace it?`,
          { modal: true, detail: `${path} will hold the template of run "${runLabel(run)}".` },
          'Replace',
        );
        if (replace !== 'Replace') return;
        written = await deps.writeFile(path, text, true);
      }
      deps.log.info(`Saved run ${run.id} as template ${path}`);
      deps.openFile(path);
      void deps.window.showInformationMessage(`Saved template "${name.trim()}" as ${basename(path)}: New Training Run offers it.`);
    } catch (error) {
      failed(deps, `Saving run ${runLabel(run)} as a template failed`, error);
    }
  };
}
