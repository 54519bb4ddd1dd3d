// The command table against the manifest: every contributed command is in the table and every table entry is
// contributed, every menu entry names a table command, every command is registered by the code, and no source
// file spells a command id as a literal instead of using the table.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { COMMANDS } from '../../../src/vscode/commandIds';

const root = join(__dirname, '..', '..', '..');
const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
  contributes: { commands: { command: string }[]; menus: Record<string, { command?: string }[]> };
};
const tableIds = Object.values(COMMANDS);

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

describe('command table', () => {
  it('lists exactly the commands package.json contributes', () => {
    const contributed = manifest.contributes.commands.map((c) => c.command);
    expect([...contributed].sort()).toEqual([...tableIds].sort());
    expect(new Set(tableIds).size).toBe(tableIds.length);
  });

  it('each name matches its id', () => {
    for (const [name, id] of Object.entries(COMMANDS)) expect(id).toBe(`brightrun.${name}`);
  });

  it('every menu entry names a command of the table', () => {
    const entries = Object.entries(manifest.contributes.menus).flatMap(([menu, items]) => items.map((item) => ({ menu, command: item.command })));
    expect(entries.length).toBeGreaterThan(0);
    const unknown = entries.filter((entry) => !entry.command || !(tableIds as string[]).includes(entry.command));
    expect(unknown).toEqual([]);
  });

  const sources = sourceFiles(join(root, 'src')).map((path) => ({ path, text: readFileSync(path, 'utf8') }));

  it('every command is registered through the table', () => {
    const registered = new Set(sources.flatMap(({ text }) => [...text.matchAll(/registerCommand\(\s*COMMANDS\.(\w+)/g)].map((m) => m[1])));
    expect([...registered].sort()).toEqual(Object.keys(COMMANDS).sort());
  });

  it('no source file spells a command id as a literal', () => {
    const literal = new RegExp(`['"](${tableIds.map((id) => id.replace('.', '\\.')).join('|')})['"]`);
    const offenders = sources
      .filter(({ path, text }) => !path.endsWith(join('vscode', 'commandIds.ts')) && literal.test(text))
      .map(({ path }) => path.slice(root.length + 1));
    expect(offenders).toEqual([]);
  });
});
