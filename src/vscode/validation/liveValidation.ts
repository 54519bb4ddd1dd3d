// Validation of open JSONL documents as the user types: one incremental DocumentValidator per document, fed
// line edits from every change event at once (cheap), with the Problems panel updated after a pause (debounced).
import type * as vscode from 'vscode';
import { DocumentValidator } from '../../core/dataset';
import type { DatasetStats, Fix, LineInfo } from '../../contracts/dataset';
import { KeyedDebouncer } from './debouncer';
import type { DiagnosticsSink } from '../api/diagnostics';
import { Emitter } from '../api/events';
import type { LogApi } from '../api/log';
import type { DocumentLike, OpenDocuments } from '../api/workspace';
import { planDiagnostics } from './diagnosticPlan';
import { LineMirror, MirrorOutOfSyncError, splitLines, type TextChange } from './lineMirror';
import { loadInSlices } from './sliceLoader';
import type { ValidationOptionsSource } from './validationOptions';

/** A change to a document, as the editor reports it (a `vscode.TextDocumentChangeEvent` is one). */
export interface DocumentChange<D> {
  readonly document: D;
  readonly contentChanges: readonly ContentChange[];
}

interface ContentChange {
  readonly range: { readonly start: { line: number; character: number }; readonly end: { line: number; character: number } };
  readonly text: string;
}
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

export function isDatasetDocument(document: DocumentLike): boolean {
  if (!DATA_SCHEMES.has(document.uri.scheme) || isPromptSetPath(document.uri.path)) return false;
  return document.languageId === 'jsonl' || document.uri.path.toLowerCase().endsWith('.jsonl');
}

/** Generic over the document type so unit tests drive it with in-memory documents; the editor uses vscode's. */
export class LiveValidation<D extends DocumentLike = vscode.TextDocument> implements vscode.Disposable {
  private readonly states = new Map<string, DocumentState>();
  /** Documents whose validator is being created (waiting for the token counter). */
  private readonly opening = new Set<string>();
  private readonly debouncer: KeyedDebouncer<string>;
  private readonly updated = new Emitter<D['uri']>();
  /** Fires after diagnostics and statistics of a document were published. */
  readonly onDidUpdate = this.updated.event;

  constructor(
    private readonly collection: DiagnosticsSink<D['uri']>,
    private readonly options: Pick<ValidationOptionsSource, 'current' | 'settings'>,
    private readonly log: LogApi,
    private readonly workspace: OpenDocuments<D>,
  ) {
    this.debouncer = new KeyedDebouncer(options.settings().debounceMs);
  }

  has(uri: D['uri']): boolean {
    return this.states.has(uri.toString());
  }

  /** Whether the document is being loaded into its validator (no statistics yet, they are on their way). */
  isOpening(uri: D['uri']): boolean {
    return this.opening.has(uri.toString());
  }

  /**
   * Starts validating a document. Large documents load in slices so the extension host stays responsive. Edits
   * made meanwhile need no replay: `change` ignores documents without state, and a document whose version
   * moved during the load is loaded again from its new text.
   */
  async open(document: D): Promise<void> {
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

  change(event: DocumentChange<D>): void {
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
      if (!(error instanceof MirrorOutOfSyncError))
        this.log.warn(`Incremental validation failed, re-validating ${event.document.uri.fsPath}: ${String(error)}`);
      this.resync(event.document, state);
    }
    this.debouncer.schedule(key, () => this.publishIfOpen(key));
  }

  close(document: D): void {
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
    for (const document of this.workspace.textDocuments) {
      const state = this.states.get(document.uri.toString());
      if (!state) continue;
      state.validator.setOptions(options);
      this.publish(document);
    }
  }

  /** Re-validates a document from scratch and publishes at once (the explicit "Validate" command). */
  revalidate(document: D): DatasetStats | undefined {
    const state = this.states.get(document.uri.toString());
    if (!state) return undefined;
    this.resync(document, state);
    this.publish(document);
    return state.stats;
  }

  stats(uri: D['uri']): DatasetStats | undefined {
    return this.states.get(uri.toString())?.stats;
  }

  lineInfo(uri: D['uri'], line: number): LineInfo | undefined {
    return this.states.get(uri.toString())?.validator.lineInfo(line);
  }

  /**
   * The fixes behind a diagnostic, only while the document is exactly what was validated: a fix computed for
   * an older text could delete the wrong line.
   */
  fixesFor(document: D, key: string): Fix[] {
    const state = this.states.get(document.uri.toString());
    if (!state || state.publishedVersion !== document.version || this.debouncer.isPending(document.uri.toString())) return [];
    return state.fixes.get(key) ?? [];
  }

  dispose(): void {
    this.debouncer.dispose();
    this.updated.dispose();
    this.states.clear();
  }

  private resync(document: D, state: DocumentState): void {
    const lines = splitLines(document.getText());
    state.mirror = new LineMirror(lines);
    state.validator.reset(lines);
  }

  private publishIfOpen(key: string): void {
    const document = this.workspace.textDocuments.find((d) => d.uri.toString() === key);
    if (document && this.states.has(key)) this.publish(document);
  }

  private publish(document: D): void {
    const key = document.uri.toString();
    const state = this.states.get(key);
    if (!state) return;
    this.debouncer.cancel(key);
    const lineLength = (line: number) => (line < document.lineCount ? document.lineAt(line).text.length : undefined);
    const { diagnostics, fixes } = planDiagnostics(document.uri.fsPath, state.validator.findings(), lineLength, state.validator.omitted());
    this.collection.set(document.uri, diagnostics);
    state.fixes = fixes;
    state.stats = state.validator.stats();
    state.publishedVersion = document.version;
    this.updated.fire(document.uri);
  }
}

function toTextChange(change: ContentChange): TextChange {
  const { start, end } = change.range;
  return { startLine: start.line, startCharacter: start.character, endLine: end.line, endCharacter: end.character, text: change.text };
}
