// One cold activation, in a fresh node process (run.mjs starts one per sample): requires an empty module (the
// baseline), then the extension bundle, then calls activate() with a context of the real API shape and the
// 'vscode' stand-in (vscodeStub.cjs). Prints the three times (wall and CPU) and what the extension logged, as JSON.
//   node activateOnce.cjs BUNDLE_DIR EMPTY_MODULE STORAGE_DIR EXTENSION_ROOT
'use strict';
const Module = require('node:module');
const { mkdirSync, readFileSync } = require('node:fs');
const { join } = require('node:path');
const { performance } = require('node:perf_hooks');
const vscode = require('./vscodeStub.cjs');

const [bundleDir, emptyModule, storageDir, extensionRoot] = process.argv.slice(2);

const loadModule = Module._load;
Module._load = function (request, ...rest) {
  return request === 'vscode' ? vscode : loadModule.call(this, request, ...rest);
};

function memento() {
  const values = new Map();
  return {
    get: (key, fallback) => (values.has(key) ? values.get(key) : fallback),
    update: async (key, value) => void values.set(key, value),
    keys: () => [...values.keys()],
    setKeysForSync: () => {},
  };
}

function environmentVariables() {
  const variables = new Map();
  return {
    persistent: true,
    description: undefined,
    replace: (name, value) => void variables.set(name, { value, type: 1 }),
    append: (name, value) => void variables.set(name, { value, type: 2 }),
    prepend: (name, value) => void variables.set(name, { value, type: 3 }),
    get: (name) => variables.get(name),
    delete: (name) => void variables.delete(name),
    clear: () => variables.clear(),
    forEach: (callback) => variables.forEach((mutator, name) => callback(name, mutator)),
    getScoped: () => environmentVariables(),
  };
}

function extensionContext() {
  const folder = (name) => {
    const path = join(storageDir, name);
    mkdirSync(path, { recursive: true });
    return path;
  };
  const packageJSON = JSON.parse(readFileSync(join(extensionRoot, 'package.json'), 'utf8'));
  return {
    subscriptions: [],
    extensionUri: vscode.Uri.file(extensionRoot),
    extensionPath: extensionRoot,
    extension: { id: `${packageJSON.publisher}.${packageJSON.name}`, extensionPath: extensionRoot, packageJSON, isActive: false },
    extensionMode: 1,
    globalStorageUri: vscode.Uri.file(folder('global')),
    globalStoragePath: folder('global'),
    storageUri: vscode.Uri.file(folder('workspace')),
    storagePath: folder('workspace'),
    logUri: vscode.Uri.file(folder('log')),
    logPath: folder('log'),
    globalState: memento(),
    workspaceState: memento(),
    secrets: { get: async () => undefined, store: async () => {}, delete: async () => {}, onDidChange: () => new vscode.Disposable() },
    asAbsolutePath: (relative) => join(extensionRoot, relative),
    environmentVariableCollection: environmentVariables(),
  };
}

async function main() {
  const context = extensionContext();
  // Wall time, and CPU time (user + system) of this process: on a busy machine the wall time also counts the
  // waits for a core, the CPU time only the work.
  const cpuMs = () => {
    const { user, system } = process.cpuUsage();
    return (user + system) / 1000;
  };
  const t0 = performance.now();
  const c0 = cpuMs();
  require(emptyModule);
  const t1 = performance.now();
  const c1 = cpuMs();
  const extension = require(join(bundleDir, 'extension.js'));
  const t2 = performance.now();
  const c2 = cpuMs();
  await extension.activate(context);
  const t3 = performance.now();
  const c3 = cpuMs();
  const logged = [...vscode.channels.values()].flatMap((channel) => channel.lines);
  for (const disposable of context.subscriptions) disposable.dispose?.();
  const result = {
    wall: { emptyRequire: t1 - t0, bundleRequire: t2 - t1, activate: t3 - t2 },
    cpu: { emptyRequire: c1 - c0, bundleRequire: c2 - c1, activate: c3 - c2 },
    logged,
  };
  process.stdout.write(JSON.stringify(result) + '\n');
  // Timers or watchers the extension left are the editor's to stop; a bench sample ends here.
  process.exit(0);
}

main().catch((error) => {
  process.stderr.write(`${error && error.stack ? error.stack : error}\n`);
  process.exit(1);
});
