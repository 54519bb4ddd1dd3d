// Export to Ollama from the Models view: pick the form (adapter, GGUF adapter, merged model) and the model name,
// write the export folder and its Modelfile on this machine, then run `ollama create` when Ollama is installed,
// or offer the command to copy. A remote run's adapter is downloaded first.
import * as vscode from 'vscode';
import { defaultOllamaName, ollamaNameProblem } from '../../core/models/ollamaModelfile';
import { LOCAL_HOST } from '../../core/runs';
import { defaultExportDir, exportToOllama, OllamaExportError, type OllamaExportResult } from '../../platform/ollamaExport';
import type { AdapterRef } from './adapterRef';
import { ensureLocalAdapter, resolveAdapter, type ModelCommandDeps } from './modelCommands';

type Form = { mode: 'adapter' | 'merged'; gguf: boolean };

async function pickForm(adapter: AdapterRef): Promise<Form | undefined> {
  const ggufBase = /\.gguf$/i.test(adapter.baseModel);
  const items: (vscode.QuickPickItem & { form: Form })[] = [
    {
      label: '$(file-zip) Adapter converted to GGUF',
      description: "llama.cpp's converter when installed (LLAMA_CPP_DIR), else the gguf package",
      detail: ggufBase ? 'The base model is a GGUF file, so the adapter must be GGUF too.' : undefined,
      form: { mode: 'adapter', gguf: true },
    },
    ...(ggufBase
      ? []
      : [
          {
            label: '$(file-binary) Adapter as it is (safetensors)',
            description: 'Ollama imports it on the base model folder',
            form: { mode: 'adapter' as const, gguf: false },
          },
        ]),
    { label: '$(merge) Merged model', description: 'the adapter merged into the base model: as large as the base', form: { mode: 'merged', gguf: false } },
  ];
  const picked = await vscode.window.showQuickPick(items, {
    title: `Export ${adapter.runLabel} to Ollama`,
    placeHolder: 'What should the Ollama model be made of?',
  });
  return picked?.form;
}

async function localCopy(deps: ModelCommandDeps, adapter: AdapterRef): Promise<string | undefined> {
  if (adapter.host === LOCAL_HOST || adapter.localPath) return ensureLocalAdapter(deps, adapter);
  const go = await vscode.window.showInformationMessage(
    `The adapter of ${adapter.runLabel} is on ${adapter.host}. Download it to export it to Ollama?`,
    { modal: true, detail: 'Ollama reads the adapter from this machine; the copy goes into the workspace (adapters/).' },
    'Download',
  );
  return go === 'Download' ? ensureLocalAdapter(deps, adapter) : undefined;
}

async function showResult(result: OllamaExportResult, name: string, log: vscode.LogOutputChannel): Promise<void> {
  const folder = vscode.Uri.file(result.outDir);
  const converted = result.converter ? ` The GGUF conversion used ${result.converter}.` : '';
  for (const note of result.notes) log.info(note);
  let choice: string | undefined;
  if (!result.ollama) {
    choice = await vscode.window.showInformationMessage(
      `Ollama is not installed here (https://ollama.com). The Modelfile is written;${converted} once Ollama is installed, create the model with: ${result.command}`,
      'Copy Command',
      'Open Folder',
    );
  } else if (result.ollama.code !== 0) {
    log.error(`ollama create failed (exit ${result.ollama.code}):\n${result.ollama.output}`);
    const tail = result.ollama.output.trim().split('\n').slice(-2).join(' ');
    choice = await vscode.window.showErrorMessage(`ollama create failed: ${tail || `exit ${result.ollama.code}`}`, 'Show Output', 'Open Folder');
  } else {
    choice = await vscode.window.showInformationMessage(
      `Created the Ollama model ${name}.${converted} Try it: ollama run ${name}`,
      'Copy Run Command',
      'Open Folder',
    );
  }
  if (choice === 'Copy Command') await vscode.env.clipboard.writeText(result.command);
  if (choice === 'Copy Run Command') await vscode.env.clipboard.writeText(`ollama run ${name}`);
  if (choice === 'Show Output') log.show(true);
  if (choice === 'Open Folder') {
    if (vscode.workspace.getWorkspaceFolder(folder)) await vscode.commands.executeCommand('revealInExplorer', folder);
    else await vscode.commands.executeCommand('vscode.openFolder', folder, { forceNewWindow: true });
  }
}

export function createExportToOllamaCommand(deps: ModelCommandDeps) {
  return async (arg?: unknown) => {
    const adapter = await resolveAdapter(deps, arg, 'Export which adapter to Ollama?');
    if (!adapter) return;
    const form = await pickForm(adapter);
    if (!form) return;
    const name = await vscode.window.showInputBox({
      title: `Export ${adapter.runLabel} to Ollama`,
      prompt: 'The name of the Ollama model (ollama run NAME)',
      value: defaultOllamaName(adapter.runLabel),
      validateInput: (value) => ollamaNameProblem(value.trim()),
    });
    if (!name?.trim()) return;
    try {
      const adapterDir = await localCopy(deps, adapter);
      if (!adapterDir) return;
      const result = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: `Exporting ${adapter.runLabel} to Ollama` },
        (progress) =>
          exportToOllama(
            {
              runId: adapter.runId,
              runLabel: adapter.runLabel,
              adapterDir,
              baseModel: adapter.baseModel,
              name: name.trim(),
              outDir: defaultExportDir(adapterDir),
              trainFile: adapter.host === LOCAL_HOST ? deps.runs.list().find((run) => run.id === adapter.runId)?.config.trainFile : null,
              ...form,
            },
            {
              trainerTool: (args) => deps.runs.trainerTool(LOCAL_HOST, args),
              env: process.env,
              log: (line) => {
                deps.log.info(line);
                progress.report({ message: line.length > 90 ? `${line.slice(0, 90)}…` : line });
              },
            },
          ),
      );
      await showResult(result, name.trim(), deps.log);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      if (error instanceof OllamaExportError && error.output) deps.log.error(error.output);
      deps.log.error(`Export of ${adapter.runId} to Ollama: ${message}`);
      void vscode.window.showErrorMessage(`Exporting ${adapter.runLabel} to Ollama failed: ${message}`);
    }
  };
}
