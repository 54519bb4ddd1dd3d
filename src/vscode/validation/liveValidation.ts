// Validation of open JSONL documents as the user types: one incremental DocumentValidator per document, fed
// line edits from every change event at once (cheap), with the Problems panel updated after a pause (debounced).
import * as vscode from 'vscode';
import { DocumentValidator } from '../../core/dataset';
import type { DatasetStats, Fix, LineInfo } from '../../contracts/dataset';
import { KeyedDebouncer } from './debouncer';
import { buildDiagnostics } from './diagnostics';
import { LineMirror, MirrorOutOfSyncError, splitLines, type TextChange } from './lineMirror';
import { loadInSlices } from './sliceLoader';
import type { ValidationOptionsSource } from './validationOptions';
import { isPromptSetPath } from '../../core/evaluation/promptSet';

interface DocumentState {
  validator: DocumentValidator;
  mirror: LineMirror;
  /** Document version the published diagnostics (and their fixes) describe. */
  publishedVersion: number;
  fixes: Map<string, Fix[]>;
  stats?: DatasetStats;
}

/** Edits inserting more lines than this re-validate the whole document (cheaper than a huge splice). */
const LARGE_EDIT_LINES = 50_000;

/** Schemes whose documents are the user's data (not git's old revisions or our own previews). */
const DATA_SCHEMES = new Set(['file', 'untitled', 'vscode-remote', 'vscode-userdata']);

export function isDatasetDocument(document: vscode.TextDocument): boolean {
  if (!DATA_SCHEMES.has(document.uri.scheme) || isPromptSetPath(document.uri.path)) return false;
  return document.languageId === 'jsonl' || document.uri.path.toLowerCase().endsWith('.jsonl');
}

export class LiveValidation implements vscode.Disposable {
  private readonly states = new Map<string, DocumentState>();
  /** Documents whose validator is being created (waiting for the token counter). */
  private readonly opening = new Set<string>();
  private readonly debouncer: KeyedDebouncer<string>;
  private readonly updated = new vscode.EventEmitter<vscode.Uri>();
  /** Fires after diagnostics and statistics of a document were published. */
  readonly onDidUpdate = this.updated.event;

  constructor(
    private readonly collection: vscode.DiagnosticCollection,
    private readonly options: ValidationOptionsSource,
    private readonly log: vscode.LogOutputChannel,
  ) {
    this.debouncer = new KeyedDebouncer(options.settings().debounceMs);
  }

  has(uri: vscode.Uri): boolean {
    return this.states.has(uri.toString());
  }

  /** Whether the document is being loaded into its validator (no statistics yet, they are on their way). */
  isOpening(uri: vscode.Uri): boolean {
    return this.opening.has(uri.toString());
  }

  /**
   * Starts validating a document. Large documents load in slices so the extension host stays responsive. Edits
   * made meanwhile need no replay: `change` ignores documents without state, and a document whose version
   * moved during the load is loaded again from its new text.
   */
  async open(document: vscode.TextDocument): Promise<void> {
    const key = document.uri.toString();
    if (!isDatasetDocument(document) || this.states.has(key) || this.opening.has(key)) return;
    this.opening.add(key);
    try {
      const options = await this.options.current();
      const gone = () => document.isClosed || !this.opening.has(key);
      for (let attempt = 1; ; attempt++) {
        if (gone()) return;
        const version = document.version;
        const lines = splitLines(document.getText());
        const validator = new DocumentValidator(options);
        if (!(await loadInSlices(validator, lines, undefined, undefined, gone))) return;
        if (document.version !== version && attempt < 3) continue;
        let loaded = lines;
        if (document.version !== version) {
          // Still typing after three loads: one blocking reset on the current text is better than never starting.
          loaded = splitLines(document.getText());
          validator.reset(loaded);
        }
        this.states.set(key, { validator, mirror: new LineMirror(loaded), publishedVersion: -1, fixes: new Map() });
        break;
      }
    } finally {
      this.opening.delete(key);
    }
    this.publish(document);
  }

  change(event: vscode.TextDocumentChangeEvent): void {
    const key = event.document.uri.toString();
    const state = this.states.get(key);
    if (!state || event.contentChanges.length === 0) return;
    try {
      for (const change of event.contentChanges) {
        const edit = state.mirror.apply(toTextChange(change));
        if (edit.insertedLines.length > LARGE_EDIT_LINES) throw new MirrorOutOfSyncError('large edit');
        state.validator.applyChange(edit.startLine, edit.removedCount, edit.insertedLines);
      }
      if (state.mirror.lineCount !== event.document.lineCount) throw new MirrorOutOfSyncError('line count differs');
    } catch (error) {
      // Never leave stale state behind: start over from the document's text.
      if (!(error instanceof MirrorOutOfSyncError)) this.log.warn(`Incremental validation failed, re-validating ${event.document.uri.fsPath}: ${String(error)}`);
      this.resync(event.document, state);
    }
    this.debouncer.schedule(key, () => this.publishIfOpen(key));
  }

  close(document: vscode.TextDocument): void {
    const key = document.uri.toString();
    this.opening.delete(key);
    if (!this.states.delete(key)) return;
    this.debouncer.cancel(key);
    this.collection.delete(document.uri);
    this.updated.fire(document.uri);
  }

  /** New settings: every open document is re-validated with them and re-published. */
  async reconfigure(): Promise<void> {
    const options = await this.options.current();
    this.debouncer.setDelay(this.options.settings().debounceMs);
    for (const document of vscode.workspace.textDocuments) {
      const state = this.states.get(document.uri.toString());
      if (!state) continue;
      state.validator.setOptions(options);
      this.publish(document);
    }
  }

  /** Re-validates a document from scratch and publishes at once (the explicit "Validate" command). */
  revalidate(document: vscode.TextDocument): DatasetStats | undefined {
    const state = this.states.get(document.uri.toString());
    if (!state) return undefined;
    this.resync(document, state);
    this.publish(document);
    return state.stats;
  }

  stats(uri: vscode.Uri): DatasetStats | undefined {
    return this.states.get(uri.toString())?.stats;
  }

  lineInfo(uri: vscode.Uri, line: number): LineInfo | undefined {
    return this.states.get(uri.toString())?.validator.lineInfo(line);
  }

  /**
   * The fixes behind a diagnostic, only while the document is exactly what was validated: a fix computed for
   * an older text could delete the wrong line.
   */
  fixesFor(document: vscode.TextDocument, key: string): Fix[] {
    const state = this.states.get(document.uri.toString());
    if (!state || state.publishedVersion !== document.version || this.debouncer.isPending(document.uri.toString())) return [];
    return state.fixes.get(key) ?? [];
  }

  dispose(): void {
    this.debouncer.dispose();
    this.updated.dispose();
    this.states.clear();
  }

  private resync(document: vscode.TextDocument, state: DocumentState): void {
    const lines = splitLines(document.getText());
    state.mirror = new LineMirror(lines);
    state.validator.reset(lines);
  }

  private publishIfOpen(key: string): void {
    const document = vscode.workspace.textDocuments.find((d) => d.uri.toString() === key);
    if (document && this.states.has(key)) this.publish(document);
  }

  private publish(document: vscode.TextDocument): void {
    const key = document.uri.toString();
    const state = this.states.get(key);
    if (!state) return;
    this.debouncer.cancel(key);
    const lineLength = (line: number) => (line < document.lineCount ? document.lineAt(line).text.length : undefined);
    const { diagnostics, fixes } = buildDiagnostics(document.uri, state.validator.findings(), lineLength, state.validator.omitted());
    this.collection.set(document.uri, diagnostics);
    state.fixes = fixes;
    state.stats = state.validator.stats();
    state.publishedVersion = document.version;
    this.updated.fire(document.uri);
  }
}

function toTextChange(change: vscode.TextDocumentContentChangeEvent): TextChange {
  const { start, end } = change.range;
  return { startLine: start.line, startCharacter: start.character, endLine: end.line, endCharacter: end.character, text: change.text };
}
