// The convert commands: `brightrun.convertToOpenAiChat` turns a ShareGPT / Alpaca / prompt-completion dataset
// into a new `<name>.openai.jsonl` beside it; `brightrun.convertToPreferencePairs` and
// `brightrun.convertToOpenAiPreference` turn preference pairs into the other preference format
// (`<name>.pairs.jsonl`, `<name>.openai-preference.jsonl`). Each opens the new file and says which lines could
// not be converted (details in the BrightRun output channel).
import * as vscode from 'vscode';
import { existsSync } from 'node:fs';
import { basename } from 'node:path';
import { convertPreference, convertToOpenAiChat, type ConversionResult } from '../../core/dataset';
import { convertFile, type FileConversion } from './convertFile';
import { convertedPath, skippedSentence } from './convertPaths';
import { resolveDatasetUri } from './targets';

export interface ConversionTarget {
  /** Said in the progress notification: "Converting train.jsonl to <label>…". */
  label: string;
  /** The new file is `<name>.<suffix>.jsonl`. */
  suffix: string;
  convert: (lines: readonly string[]) => ConversionResult;
}

export const TO_OPENAI_CHAT: ConversionTarget = { label: 'OpenAI chat format', suffix: 'openai', convert: convertToOpenAiChat };
export const TO_PREFERENCE_PAIRS: ConversionTarget = { label: 'preference pairs', suffix: 'pairs', convert: (lines) => convertPreference(lines, 'pairs') };
export const TO_OPENAI_PREFERENCE: ConversionTarget = {
  label: 'OpenAI preference format',
  suffix: 'openai-preference',
  convert: (lines) => convertPreference(lines, 'openai-preference'),
};

export async function convertDatasetCommand(
  arg: unknown,
  log: vscode.LogOutputChannel,
  to: ConversionTarget = TO_OPENAI_CHAT,
): Promise<vscode.Uri | undefined> {
  const source = await resolveDatasetUri(arg, 'Convert');
  if (!source) return undefined;
  const name = basename(source.fsPath);
  const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === source.toString());
  if (open?.isDirty) {
    const choice = await vscode.window.showWarningMessage(`${name} has unsaved changes; conversion reads the file on disk.`, 'Save and Convert');
    if (choice !== 'Save and Convert' || !(await open.save())) return undefined;
  }
  const target = convertedPath(source.fsPath, to.suffix);
  if (existsSync(target)) {
    const choice = await vscode.window.showWarningMessage(`${basename(target)} already exists. Replace it?`, { modal: true }, 'Replace');
    if (choice !== 'Replace') return undefined;
  }

  let result: FileConversion;
  try {
    result = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Converting ${name} to ${to.label}…` }, () =>
      convertFile(source.fsPath, target, to.convert),
    );
  } catch (error) {
    void vscode.window.showErrorMessage(`BrightRun could not convert ${name}: ${error instanceof Error ? error.message : String(error)}`);
    return undefined;
  }

  for (const skipped of result.skipped) log.warn(`${source.fsPath}:${skipped.line}: not converted: ${skipped.reason}`);
  const targetUri = vscode.Uri.file(target);
  await vscode.window.showTextDocument(targetUri, { preview: false });
  const from = result.sourceFormats.length > 0 ? ` from ${result.sourceFormats.join(' + ')}` : '';
  const summary = `Converted ${result.converted} example${result.converted === 1 ? '' : 's'}${from} into ${basename(target)}.`;
  if (result.skipped.length === 0) {
    void vscode.window.showInformationMessage(summary);
  } else {
    const choice = await vscode.window.showWarningMessage(`${summary} ${skippedSentence(result.skipped)}`, 'Show Details');
    if (choice === 'Show Details') log.show(true);
  }
  return targetUri;
}
