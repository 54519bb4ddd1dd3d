// A stand-in for the 'vscode' module, for the activation bench only: the shape of the API the extension touches
// while it activates (registrations, events, configuration, output channel), doing nothing. Every call returns
// what the real API returns (a Disposable, an object with the same members, a resolved promise), so activate()
// runs the same code path as in the editor; nothing is drawn and no extension host is involved.
// Tests never use this: they run the real VS Code (test/e2e).
'use strict';

class Disposable {
  static from(...items) {
    return new Disposable(() => items.forEach((item) => item?.dispose?.()));
  }
  constructor(onDispose = () => {}) {
    this.onDispose = onDispose;
  }
  dispose() {
    this.onDispose();
  }
}

class EventEmitter {
  listeners = new Set();
  event = (listener, thisArg) => {
    const bound = listener.bind(thisArg);
    this.listeners.add(bound);
    return new Disposable(() => this.listeners.delete(bound));
  };
  fire(value) {
    for (const listener of this.listeners) listener(value);
  }
  dispose() {
    this.listeners.clear();
  }
}

/** An event nobody fires: subscribing returns a Disposable, as in the editor. */
const noEvent = () => new Disposable();

class Uri {
  constructor(scheme, authority, path, query, fragment) {
    Object.assign(this, { scheme, authority, path, query, fragment });
  }
  static file(path) {
    return new Uri('file', '', path, '', '');
  }
  static parse(value) {
    const url = new URL(value);
    return new Uri(url.protocol.slice(0, -1), url.host, decodeURIComponent(url.pathname), url.search.slice(1), url.hash.slice(1));
  }
  static from({ scheme, authority = '', path = '', query = '', fragment = '' }) {
    return new Uri(scheme, authority, path, query, fragment);
  }
  static joinPath(base, ...segments) {
    return base.with({ path: require('node:path').posix.join(base.path, ...segments) });
  }
  get fsPath() {
    return this.path;
  }
  with(change) {
    return Uri.from({ ...this, ...change });
  }
  toString() {
    return `${this.scheme}://${this.authority}${this.path}${this.query ? `?${this.query}` : ''}`;
  }
  toJSON() {
    return { scheme: this.scheme, authority: this.authority, path: this.path, query: this.query, fragment: this.fragment };
  }
}

/** A plain data class: keeps what it was constructed with. */
const dataClass = (...fields) =>
  class {
    constructor(...values) {
      fields.forEach((field, i) => (this[field] = values[i]));
    }
  };

class Position extends dataClass('line', 'character') {}
class Range {
  constructor(a, b, c, d) {
    [this.start, this.end] = typeof a === 'number' ? [new Position(a, b), new Position(c, d)] : [a, b];
  }
}
class Selection extends Range {}

const outputChannel = (name) => {
  const lines = [];
  const write = (level) => (message) => lines.push(`[${level}] ${message}`);
  return {
    name,
    lines,
    logLevel: 3,
    onDidChangeLogLevel: noEvent,
    trace: write('trace'),
    debug: write('debug'),
    info: write('info'),
    warn: write('warning'),
    error: write('error'),
    append: (text) => lines.push(text),
    appendLine: (text) => lines.push(text),
    replace: () => {},
    clear: () => {},
    show: () => {},
    hide: () => {},
    dispose: () => {},
  };
};

/** Output channels created, by name: the bench reads what the extension logged. */
const channels = new Map();

const configuration = () => ({
  get: (_key, fallback) => fallback,
  has: () => false,
  inspect: () => undefined,
  update: async () => {},
});

const registration = () => new Disposable();

module.exports = {
  channels,
  Disposable,
  EventEmitter,
  Uri,
  Position,
  Range,
  Selection,
  Location: dataClass('uri', 'range'),
  Diagnostic: dataClass('range', 'message', 'severity'),
  DiagnosticRelatedInformation: dataClass('location', 'message'),
  CodeLens: dataClass('range', 'command'),
  CodeAction: dataClass('title', 'kind'),
  Hover: dataClass('contents', 'range'),
  MarkdownString: dataClass('value', 'supportThemeIcons'),
  ThemeIcon: dataClass('id', 'color'),
  ThemeColor: dataClass('id'),
  TreeItem: dataClass('label', 'collapsibleState'),
  TabInputText: dataClass('uri'),
  WorkspaceEdit: class {
    replace() {}
    insert() {}
    delete() {}
  },
  CodeActionKind: { QuickFix: { value: 'quickfix' } },
  ConfigurationTarget: { Global: 1, Workspace: 2, WorkspaceFolder: 3 },
  DiagnosticSeverity: { Error: 0, Warning: 1, Information: 2, Hint: 3 },
  ProgressLocation: { SourceControl: 1, Window: 10, Notification: 15 },
  StatusBarAlignment: { Left: 1, Right: 2 },
  TextEditorRevealType: { Default: 0, InCenter: 1 },
  TreeItemCollapsibleState: { None: 0, Collapsed: 1, Expanded: 2 },
  UIKind: { Desktop: 1, Web: 2 },
  ViewColumn: { Active: -1, Beside: -2, One: 1 },
  env: { uiKind: 1, remoteName: undefined, openExternal: async () => true },
  commands: { registerCommand: registration, executeCommand: async () => undefined },
  languages: {
    createDiagnosticCollection: (name) => {
      const entries = new Map();
      return {
        name,
        set: (uri, diagnostics) => entries.set(String(uri), diagnostics),
        get: (uri) => entries.get(String(uri)),
        delete: (uri) => entries.delete(String(uri)),
        clear: () => entries.clear(),
        forEach: () => {},
        dispose: () => entries.clear(),
      };
    },
    registerCodeLensProvider: registration,
    registerHoverProvider: registration,
    registerCodeActionsProvider: registration,
  },
  window: {
    activeTextEditor: undefined,
    visibleTextEditors: [],
    tabGroups: { all: [], onDidChangeTabs: noEvent, onDidChangeTabGroups: noEvent },
    onDidChangeActiveTextEditor: noEvent,
    onDidChangeVisibleTextEditors: noEvent,
    createOutputChannel: (name) => {
      const channel = outputChannel(name);
      channels.set(name, channel);
      return channel;
    },
    createStatusBarItem: () => ({ text: '', tooltip: undefined, command: undefined, show() {}, hide() {}, dispose() {} }),
    createTreeView: () => ({
      visible: false,
      selection: [],
      onDidChangeVisibility: noEvent,
      onDidChangeSelection: noEvent,
      onDidExpandElement: noEvent,
      onDidCollapseElement: noEvent,
      reveal: async () => {},
      dispose() {},
    }),
    createWebviewPanel: () => {
      throw new Error('the bench opens no panel');
    },
    registerWebviewPanelSerializer: registration,
    registerTreeDataProvider: registration,
    showInformationMessage: async () => undefined,
    showWarningMessage: async () => undefined,
    showErrorMessage: async () => undefined,
    showQuickPick: async () => undefined,
    showInputBox: async () => undefined,
    showOpenDialog: async () => undefined,
    showSaveDialog: async () => undefined,
    showTextDocument: async () => undefined,
    withProgress: (_options, task) => task({ report() {} }, { isCancellationRequested: false, onCancellationRequested: noEvent }),
  },
  workspace: {
    workspaceFolders: undefined,
    textDocuments: [],
    fs: {},
    getConfiguration: configuration,
    getWorkspaceFolder: () => undefined,
    asRelativePath: (path) => String(path),
    findFiles: async () => [],
    openTextDocument: async () => {
      throw new Error('the bench opens no document');
    },
    createFileSystemWatcher: () => ({ onDidCreate: noEvent, onDidChange: noEvent, onDidDelete: noEvent, dispose() {} }),
    registerTextDocumentContentProvider: registration,
    onDidChangeConfiguration: noEvent,
    onDidChangeTextDocument: noEvent,
    onDidOpenTextDocument: noEvent,
    onDidCloseTextDocument: noEvent,
    onDidSaveTextDocument: noEvent,
    onDidRenameFiles: noEvent,
    onDidDeleteFiles: noEvent,
    onDidChangeWorkspaceFolders: noEvent,
  },
};
