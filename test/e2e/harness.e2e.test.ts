// The harness's own helpers against VS Code's built-in features (JSON diagnostics, the Markdown preview webview,
// the Explorer tree), so a failure in a feature's e2e test can be told apart from a broken helper.
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { eventually, makeWorkspace, useSession } from './harness';

// 40 objects with a missing colon each: more Problems rows than the panel shows at once.
const manyErrors = ['[', ...Array.from({ length: 40 }, (_, i) => `  {"a": ${i}, "b" ${i}},`), '  {}', ']'].join('\n');

describe('e2e harness', () => {
  const workspace = makeWorkspace({
    'many.json': manyErrors,
    'notes/README.md': '# Harness check\n\nA paragraph rendered by the Markdown preview.\n',
  });
  const session = useSession(() => ({ workspace, extensions: [], theme: 'Default Light Modern' }));

  it('reads every row of a Problems list longer than the panel', async () => {
    const { workbench } = session();
    await workbench.openFile('many.json');
    const rows = await eventually(
      '40 JSON problems',
      () => workbench.readProblems(),
      (found) => found.length >= 40,
    );
    expect(rows).toHaveLength(40);
    expect(rows.map((r) => r.line)).toEqual(Array.from({ length: 40 }, (_, i) => i + 2));
    expect(rows[0]).toMatchObject({ file: 'many.json', severity: 'error', source: 'json', message: 'Colon expected' });
  });

  it('clicks a tree item (the Explorer opens the file)', async () => {
    const { workbench } = session();
    await workbench.openViewContainer('Explorer');
    await workbench.clickTreeItem(workspace.split('/').pop()!, 'notes');
    await workbench.clickTreeItem(workspace.split('/').pop()!, 'README.md');
    await workbench.page.locator('.tabs-container .tab.active[data-resource-name="README.md"]').waitFor();
  });

  it('finds the content frame of a webview panel (the Markdown preview)', async () => {
    const { workbench } = session();
    await workbench.openFile('notes/README.md');
    await workbench.runCommand('Markdown: Open Preview');
    const frame = await workbench.webviewFrame('Preview README.md');
    await frame.locator('h1', { hasText: 'Harness check' }).waitFor();
    expect(await frame.locator('p').first().innerText()).toContain('rendered by the Markdown preview');
  });

  it('switches themes and takes screenshots', async () => {
    const { workbench } = session();
    await workbench.setTheme('Default Dark Modern');
    expect(await workbench.page.locator('.monaco-workbench.vs-dark').count()).toBe(1);
    const dark = await workbench.screenshot('harness-dark');
    await workbench.setTheme('Default Light Modern');
    const light = await workbench.screenshot('harness-light');
    expect(existsSync(dark) && existsSync(light)).toBe(true);
    expect(readFileSync(dark).equals(readFileSync(light))).toBe(false);
  });

  it('reloads the window and comes back with the workspace', async () => {
    const { workbench } = session();
    await workbench.reloadWindow();
    await workbench.openFile('many.json');
    expect(await workbench.page.locator('.explorer-folders-view .monaco-list-row').count()).toBeGreaterThan(0);
  });
});
