// Recording stand-ins for the editor interfaces of src/vscode/api: they keep what the code under test asked the
// editor to do (messages, posts, commands) and answer with what a test queued, so the editor layer runs here.
import type * as vscode from 'vscode';
import type { CommandsApi } from '../../../../src/vscode/api/commands';
import { Emitter } from '../../../../src/vscode/api/events';
import type { LogApi } from '../../../../src/vscode/api/log';
import type { PanelBundle, PanelFactory, WebviewApi, WebviewPanelApi } from '../../../../src/vscode/api/webviewPanel';
import type { FolderDialogOptions, InputBoxOptions, MessageOptions, ProgressOptions, SaveDialogOptions, WindowApi } from '../../../../src/vscode/api/window';
import type { CommandId } from '../../../../src/vscode/commandIds';

export interface ShownMessage {
  level: 'info' | 'warning' | 'error';
  text: string;
  options?: MessageOptions;
  items: string[];
}

type Answer = string | undefined;

export class RecordingWindow implements WindowApi {
  readonly messages: ShownMessage[] = [];
  readonly progress: ProgressOptions[] = [];
  readonly quickPicks: { titles: string[]; items: unknown[][] } = { titles: [], items: [] };
  /** Answers to modal or actionable messages, in order; undefined means dismissed. */
  readonly messageAnswers: Answer[] = [];
  /** Picks answered by a function of the offered items. */
  pick: (items: readonly vscode.QuickPickItem[]) => vscode.QuickPickItem | undefined = () => undefined;
  pickMany: (items: readonly vscode.QuickPickItem[]) => readonly vscode.QuickPickItem[] | undefined = () => undefined;
  savePath: string | undefined;
  readonly saveDialogs: SaveDialogOptions[] = [];
  folderPath: string | undefined;
  /** Answers to input boxes, in order (undefined: cancelled); each box asked is kept with what its check said. */
  readonly inputAnswers: (string | undefined)[] = [];
  readonly inputBoxes: { options: InputBoxOptions; answerProblem: string | null }[] = [];

  private show(level: ShownMessage['level'], text: string, options: MessageOptions | undefined, items: string[]): Thenable<string | undefined> {
    this.messages.push({ level, text, ...(options ? { options } : {}), items });
    return Promise.resolve(items.length ? this.messageAnswers.shift() : undefined);
  }

  showInformationMessage(message: string, ...items: string[]) {
    return this.show('info', message, undefined, items);
  }
  showWarningMessage(message: string, options?: MessageOptions, ...items: string[]) {
    return this.show('warning', message, options, items);
  }
  showErrorMessage(message: string, ...items: string[]) {
    return this.show('error', message, undefined, items);
  }
  showQuickPick<T extends vscode.QuickPickItem>(items: readonly T[], options: vscode.QuickPickOptions): Thenable<T | undefined> {
    this.quickPicks.titles.push(options.title ?? '');
    this.quickPicks.items.push([...items]);
    return Promise.resolve(this.pick(items) as T | undefined);
  }
  showQuickPickMany<T extends vscode.QuickPickItem>(items: readonly T[], options: vscode.QuickPickOptions): Thenable<readonly T[] | undefined> {
    this.quickPicks.titles.push(options.title ?? '');
    this.quickPicks.items.push([...items]);
    return Promise.resolve(this.pickMany(items) as readonly T[] | undefined);
  }
  withProgress<R>(options: ProgressOptions, task: () => Promise<R>): Thenable<R> {
    this.progress.push(options);
    return task();
  }
  showSaveDialog(options: SaveDialogOptions): Thenable<string | undefined> {
    this.saveDialogs.push(options);
    return Promise.resolve(this.savePath);
  }
  showFolderDialog(_options: FolderDialogOptions): Thenable<string | undefined> {
    return Promise.resolve(this.folderPath);
  }
  showInputBox(options: InputBoxOptions): Thenable<string | undefined> {
    const answer = this.inputAnswers.shift();
    // As the editor does: an answer its check refuses is not accepted.
    const answerProblem = answer === undefined ? null : options.validate(answer);
    this.inputBoxes.push({ options, answerProblem });
    return Promise.resolve(answerProblem === null ? answer : undefined);
  }

  texts(level?: ShownMessage['level']): string[] {
    return this.messages.filter((m) => !level || m.level === level).map((m) => m.text);
  }
}

export class RecordingCommands implements CommandsApi {
  readonly executed: { command: CommandId; args: unknown[] }[] = [];
  /** Makes a command fail, as a command whose handler throws does. */
  readonly failing = new Map<CommandId, Error>();

  executeCommand(command: CommandId, ...args: unknown[]): Thenable<unknown> {
    this.executed.push({ command, args });
    const failure = this.failing.get(command);
    return failure ? Promise.reject(failure) : Promise.resolve(undefined);
  }
}

export class RecordingLog implements LogApi {
  readonly lines: string[] = [];
  info(message: string): void {
    this.lines.push(`info ${message}`);
  }
  warn(message: string): void {
    this.lines.push(`warn ${message}`);
  }
  error(message: string): void {
    this.lines.push(`error ${message}`);
  }
}

/** A message as a webview receives it from VS Code: JSON, except typed arrays, which arrive as typed arrays (VS Code
 *  transfers them as buffers for extensions whose engine is 1.57 or later). */
function acrossWebviewBoundary(message: unknown): unknown {
  const arrays: unknown[] = [];
  const json = JSON.stringify(message, (_key, value: unknown) => (ArrayBuffer.isView(value) ? { typedArray: arrays.push(structuredClone(value)) - 1 } : value));
  return JSON.parse(json, (_key, value: unknown) => {
    const index = (value as { typedArray?: unknown } | null)?.typedArray;
    return typeof index === 'number' ? arrays[index] : value;
  });
}

/** A webview panel: what the host posted, a way to send what the webview would, and closing by the user. */
export class FakePanel implements WebviewPanelApi {
  readonly posted: unknown[] = [];
  readonly fromWebview = new Emitter<unknown>();
  private readonly disposed = new Emitter<void>();
  isDisposed = false;
  reveals = 0;
  bundle: PanelBundle | undefined;
  iconPath?: vscode.WebviewPanel['iconPath'];
  readonly webview: WebviewApi;

  constructor(
    readonly viewType: string,
    public title: string,
  ) {
    const posted = this.posted;
    this.webview = {
      options: {},
      html: '',
      cspSource: 'vscode-resource:',
      asWebviewUri: (uri) => uri,
      postMessage: (message) => {
        posted.push(acrossWebviewBoundary(message));
        return Promise.resolve(true);
      },
      onDidReceiveMessage: this.fromWebview.event,
    };
  }

  readonly onDidDispose = this.disposed.event;

  /** The webview sends a message (anything: the host must check it). */
  send(message: unknown): void {
    this.fromWebview.fire(message);
  }

  reveal(): void {
    this.reveals += 1;
  }

  dispose(): void {
    if (this.isDisposed) return;
    this.isDisposed = true;
    this.disposed.fire();
  }

  ofType<T extends { type: string }>(type: string): T[] {
    return this.posted.filter((m): m is T => (m as { type?: unknown }).type === type);
  }
}

export class FakePanels implements PanelFactory {
  readonly created: FakePanel[] = [];
  readonly restored: FakePanel[] = [];

  create(viewType: string, title: string, bundle: PanelBundle): FakePanel {
    const panel = new FakePanel(viewType, title);
    panel.bundle = bundle;
    this.created.push(panel);
    return panel;
  }

  restore(panel: WebviewPanelApi, bundle: PanelBundle): WebviewPanelApi {
    (panel as FakePanel).bundle = bundle;
    this.restored.push(panel as FakePanel);
    return panel;
  }
}

/** Lets pending promise callbacks run (the host answers `ready` asynchronously). */
export async function settle(rounds = 5): Promise<void> {
  for (let i = 0; i < rounds; i++) await new Promise((resolve) => setImmediate(resolve));
}

/** Lets callbacks and file I/O run until `check` holds (the host answers after awaiting files and the engine). */
export async function until(check: () => boolean, what = 'the expected state'): Promise<void> {
  for (let round = 0; round < 100_000; round++) {
    if (check()) return;
    await new Promise((resolve) => setImmediate(resolve));
  }
  throw new Error(`Never reached ${what}`);
}
