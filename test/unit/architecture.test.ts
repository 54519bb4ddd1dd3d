// The layering rules. `npm run lint:deps` checks the imports of the whole tree against .dependency-cruiser.cjs in
// every test run; here, (1) a small tree written for the purpose breaks each of those rules once, beside imports
// the rules allow, and the checker must report exactly the broken ones, so a rule whose pattern stops matching
// (a moved folder, a resolver change) cannot pass silently; (2) what an import checker cannot see: src/core
// reaching processes, the environment or the network through globals (process, fetch, ...) without any import.
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const root = join(__dirname, '..', '..');

/** Each file of the tree, and what it imports. Names ending in "Ok" and src/extension.ts (the composition root)
 *  must pass; every other file breaks one rule. */
const TREE: Record<string, string> = {
  'src/contracts/schemaOk.ts': "import { z } from 'zod';\nimport { other } from './otherOk';\nexport const schema = z.object({ other });",
  'src/contracts/otherOk.ts': 'export const other = 1;',
  'src/contracts/usesCore.ts': "import { helper } from '../core/helperOk';\nexport const x = helper;",
  'src/contracts/readsDisk.ts': "import { readFileSync } from 'node:fs';\nexport const x = readFileSync;",
  'src/core/logicOk.ts':
    "import { join } from 'node:path';\nimport { createHash } from 'node:crypto';\nimport { isUtf8 } from 'node:buffer';\nimport { z } from 'zod';\n" +
    "import { other } from '../contracts/otherOk';\nimport { helper } from './helperOk';\nexport const logic = [join, createHash, isUtf8, z, other, helper];",
  'src/core/helperOk.ts': 'export const helper = 1;',
  'src/core/usesPlatform.ts': "import { files } from '../platform/filesOk';\nexport const x = files;",
  'src/core/readsDisk.ts': "import { readFile } from 'node:fs/promises';\nexport const x = readFile;",
  'src/core/startsThreads.ts': "import { Worker } from 'worker_threads';\nexport const x = Worker;",
  'src/core/opensSsh.ts': "import { Client } from 'ssh2';\nexport const x = Client;",
  'src/core/namesEditor.ts': "import type * as vscode from 'vscode';\nexport type X = vscode.Uri;",
  'src/core/cycleA.ts': "import { b } from './cycleB';\nexport const a = () => b;",
  'src/core/cycleB.ts': "import { a } from './cycleA';\nexport const b = () => a;",
  'src/shared/protocolOk.ts': "import { z } from 'zod';\nimport { other } from '../contracts/otherOk';\nexport const protocol = [z, other];",
  'src/shared/usesCore.ts': "import { helper } from '../core/helperOk';\nexport const x = helper;",
  'src/shared/usesPath.ts': "import { join } from 'node:path';\nexport const x = join;",
  'webview/src/appOk.ts':
    "import { protocol } from '../../src/shared/protocolOk';\nimport { other } from '../../src/contracts/otherOk';\nimport { view } from './viewOk';\nexport const app = [protocol, other, view];",
  'webview/src/viewOk.ts': 'export const view = 1;',
  'webview/src/usesCore.ts': "import { helper } from '../../src/core/helperOk';\nexport const x = helper;",
  'webview/src/readsDisk.ts': "import { readFileSync } from 'fs';\nexport const x = readFileSync;",
  'src/platform/filesOk.ts': "import { readFile } from 'node:fs/promises';\nimport { logic } from '../core/logicOk';\nexport const files = [readFile, logic];",
  'src/platform/usesEditor.ts': "import * as vscode from 'vscode';\nexport const x = vscode;",
  'src/cli/mainOk.ts': "import { logic } from '../core/logicOk';\nimport { files } from '../platform/filesOk';\nexport const main = [logic, files];",
  'src/cli/usesEditorLayer.ts': "import { panel } from '../vscode/panelOk';\nexport const x = panel;",
  'src/vscode/panelOk.ts':
    "import * as vscode from 'vscode';\nimport { logic } from '../core/logicOk';\nimport { files } from '../platform/filesOk';\nexport const panel = [vscode, logic, files];",
  'src/extension.ts': "import * as vscode from 'vscode';\nimport { panel } from './vscode/panelOk';\nexport const activate = [vscode, panel];",
};

/** The violations the checker must report, as "rule: from -> to" (a cycle, once: "rule: its first module"). */
const EXPECTED = [
  'contracts-stand-alone: src/contracts/usesCore.ts -> src/core/helperOk.ts',
  'contracts-no-node-builtins: src/contracts/readsDisk.ts -> fs',
  'core-imports-core-and-contracts: src/core/usesPlatform.ts -> src/platform/filesOk.ts',
  'core-no-io-builtins: src/core/readsDisk.ts -> fs/promises',
  'core-no-io-builtins: src/core/startsThreads.ts -> worker_threads',
  'core-no-io-packages: src/core/opensSsh.ts -> ssh2',
  'vscode-only-in-editor-layer: src/core/namesEditor.ts -> vscode',
  'no-circular: src/core/cycleA.ts',
  'shared-imports-shared-and-contracts: src/shared/usesCore.ts -> src/core/helperOk.ts',
  'shared-no-node-builtins: src/shared/usesPath.ts -> path',
  'webview-imports-webview-shared-contracts: webview/src/usesCore.ts -> src/core/helperOk.ts',
  'webview-no-node-builtins: webview/src/readsDisk.ts -> fs',
  'vscode-only-in-editor-layer: src/platform/usesEditor.ts -> vscode',
  'cli-platform-not-editor: src/cli/usesEditorLayer.ts -> src/vscode/panelOk.ts',
].sort();

interface Violation {
  from: string;
  to: string;
  rule: { name: string };
  cycle?: unknown[];
}

/**
 * The tree written into a temp folder with the repository's configuration, node_modules and compiler options,
 * then checked by the `lint:deps` command of package.json: its exit status, and its findings as JSON.
 */
function checkTree(): { status: number | null; violations: Violation[] } {
  const dir = mkdtempSync(join(tmpdir(), 'brightrun-layers-'));
  for (const [path, text] of Object.entries(TREE)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text + '\n');
  }
  symlinkSync(join(root, 'node_modules'), join(dir, 'node_modules'), 'dir');
  copyFileSync(join(root, '.dependency-cruiser.cjs'), join(dir, '.dependency-cruiser.cjs'));
  const { compilerOptions } = JSON.parse(readFileSync(join(root, 'tsconfig.json'), 'utf8'));
  writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions, include: ['src', 'webview/src'] }));
  const command: string = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).scripts['lint:deps'];
  const env = { ...process.env, PATH: `${join(root, 'node_modules/.bin')}:${process.env.PATH}` };
  const run = (extra: string) => spawnSync('sh', ['-c', command + extra], { cwd: dir, env, encoding: 'utf8' });
  const json = run(' --output-type json');
  if (!json.stdout) throw new Error(`${command} printed nothing (exit ${json.status}): ${json.stderr}`);
  return { status: run('').status, violations: JSON.parse(json.stdout).summary.violations };
}

/** A "to" as the expectations name it: the package's name for an npm package wherever node_modules is. */
const shortName = (to: string) => to.replace(/^.*node_modules\/(@types\/)?((@[^/]+\/)?[^/]+)\/.*$/, '$2');

describe('dependency rules', () => {
  it('report each broken rule in a tree that breaks every rule once, and nothing that the rules allow', () => {
    const { status, violations } = checkTree();
    expect(status).not.toBe(0); // what fails the test run
    const found = violations.map((v) => (v.rule.name === 'no-circular' ? `${v.rule.name}: ${v.from}` : `${v.rule.name}: ${v.from} -> ${shortName(v.to)}`));
    expect(found.sort()).toEqual(EXPECTED);
    // Every rule of the configuration is exercised, so none can rot unnoticed.
    const rules = (createRequire(__filename)(join(root, '.dependency-cruiser.cjs')) as { forbidden: { name: string }[] }).forbidden.map((r) => r.name);
    expect([...new Set(EXPECTED.map((e) => e.split(':')[0]))].sort()).toEqual([...rules].sort());
  }, 60_000);
});

/** Globals that reach processes, the environment or the network: no import names them, so no import checker sees them. */
const IO_GLOBALS = new Set(['process', 'fetch', 'require', 'WebSocket', 'XMLHttpRequest', 'EventSource']);

/** Uses of IO_GLOBALS in a source text (`process.env`, `fetch(...)`, `new WebSocket(...)`), as "line: name". */
function ioGlobalUses(name: string, text: string): string[] {
  const source = ts.createSourceFile(name, text, ts.ScriptTarget.Latest, true);
  const uses: string[] = [];
  const visit = (node: ts.Node): void => {
    const parent = node.parent;
    if (
      ts.isIdentifier(node) &&
      IO_GLOBALS.has(node.text) &&
      ((ts.isPropertyAccessExpression(parent) && parent.expression === node) ||
        ((ts.isCallExpression(parent) || ts.isNewExpression(parent)) && parent.expression === node))
    ) {
      uses.push(`${source.getLineAndCharacterOfPosition(node.getStart()).line + 1}: ${node.text}`);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return uses;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sourceFiles(path) : /\.tsx?$/.test(name) ? [path] : [];
  });
}

describe('src/core reaches no I/O through globals', () => {
  it('finds such uses in code, and not in comments, strings or property names', () => {
    const text = [
      '// process.env in a comment',
      'const home = process.env.HOME;',
      "const page = await fetch('https://example.com');",
      'const socket = new WebSocket(url);',
      "const s = 'process.exit()';",
      'const o = { process: 1, fetch: 2 };',
      'o.process.fetch();',
    ].join('\n');
    expect(ioGlobalUses('sample.ts', text)).toEqual(['2: process', '3: fetch', '4: WebSocket']);
  });

  it('src/core has none', () => {
    const uses = sourceFiles(join(root, 'src/core')).flatMap((file) =>
      ioGlobalUses(file, readFileSync(file, 'utf8')).map((use) => `${file.slice(root.length + 1)}:${use}`),
    );
    expect(uses).toEqual([]);
  }, 60_000);
});
