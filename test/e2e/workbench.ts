// Drives the VS Code workbench in headless Chromium the way a person does: the palette, quick open, the
// Problems panel, tree views, webviews. Selectors are VS Code's own DOM classes; each helper waits for the
// state it needs instead of sleeping, so tests stay correct on a slow machine.
import { mkdirSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import { type Browser, type Frame, type Locator, type Page, chromium } from 'playwright-core';
import { type CodeServer, type ThemeName, repoRoot } from './codeServer';
import { type ProblemRow, readProblemsPanel } from './problems';

export const artifactsDir = join(repoRoot, 'artifacts');
export const screenshotsDir = join(artifactsDir, 'screenshots');
export const chromiumPath = process.env.BRIGHTRUN_E2E_CHROMIUM ?? '/usr/bin/chromium';

const chromiumArgs = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

export class Workbench {
  private constructor(
    readonly browser: Browser,
    readonly page: Page,
    readonly server: CodeServer,
  ) {}

  /** Launches Chromium and opens the server's workspace folder; resolves once the workbench is up. */
  static async open(server: CodeServer): Promise<Workbench> {
    const browser = await chromium.launch({ executablePath: chromiumPath, headless: true, args: chromiumArgs });
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    page.setDefaultTimeout(30_000);
    const workbench = new Workbench(browser, page, server);
    await page.goto(server.workspaceUrl);
    await workbench.waitForWorkbench();
    return workbench;
  }

  async close(): Promise<void> {
    await this.browser.close();
  }

  async waitForWorkbench(): Promise<void> {
    await this.page.locator('.monaco-workbench').waitFor({ timeout: 90_000 });
    await this.page.locator('.part.statusbar').waitFor({ timeout: 60_000 });
    // The explorer lists the folder once the remote file system answers: from then on commands work.
    await this.page.locator('.explorer-folders-view .monaco-list-row').first().waitFor({ timeout: 90_000 });
  }

  /** Opens a workspace file by its path relative to the workspace, through quick open (Ctrl+P). */
  async openFile(relPath: string): Promise<void> {
    const name = basename(relPath);
    await this.dismissQuickInput();
    await this.page.keyboard.press('Control+P');
    const input = this.page.locator('.quick-input-widget .quick-input-box input');
    await input.waitFor();
    await input.fill(relPath);
    const row = this.page.locator('.quick-input-list .monaco-list-row', {
      has: this.page.locator('.label-name', { hasText: name }),
    });
    await row.first().waitFor();
    await row.first().click();
    await this.page.locator(`.tabs-container .tab.active[data-resource-name="${name}"]`).waitFor();
    await this.page.locator('.editor-instance .monaco-editor .view-lines').first().waitFor();
  }

  /** Runs a command by its palette title (e.g. "BrightRun: New Training Run"), through F1. */
  async runCommand(title: string): Promise<void> {
    await this.dismissQuickInput();
    await this.page.keyboard.press('F1');
    const input = this.page.locator('.quick-input-widget .quick-input-box input');
    await input.waitFor();
    await input.fill(`>${title}`);
    const exact = this.page.locator('.quick-input-list .monaco-list-row', {
      has: this.page.locator('.label-name', { hasText: new RegExp(`^${escapeRegExp(title)}$`) }),
    });
    try {
      await exact.first().waitFor({ timeout: 15_000 });
    } catch {
      const offered = await this.page.locator('.quick-input-list .monaco-list-row .label-name').allInnerTexts();
      throw new Error(`no command titled "${title}" in the palette; it offers: ${JSON.stringify(offered)}`);
    }
    await exact.first().click();
  }

  /** Names of the output channels the Output view offers (an extension's channel appears once it activated). */
  async outputChannels(): Promise<string[]> {
    await this.runCommand('Output: Focus on Output View');
    const options = this.page.locator('.part.panel select[aria-label="Switch Output"] option');
    await options.first().waitFor({ state: 'attached' });
    return (await options.allTextContents()).map((n) => n.trim()).filter((n) => n && !/^─+$/.test(n));
  }

  /** Texts of the status bar items, left to right. */
  async statusBarTexts(): Promise<string[]> {
    const items = this.page.locator('.part.statusbar .statusbar-item');
    return (await items.allInnerTexts()).map((t) => t.trim()).filter(Boolean);
  }

  /**
   * The text of the hover at a 1-based position of the active editor (Show or Focus Hover, as from the keyboard).
   * `screenshotName` saves a screenshot while the hover is open.
   */
  async hoverText(line: number, column: number, screenshotName?: string): Promise<string> {
    await this.goToPosition(line, column);
    await this.runCommand('Show or Focus Hover');
    const hover = this.page.locator('.monaco-hover:not(.hidden) .monaco-hover-content').filter({ visible: true });
    await hover.first().waitFor();
    const text = (await hover.allInnerTexts()).join('\n');
    if (screenshotName) await this.screenshot(screenshotName);
    await this.page.keyboard.press('Escape');
    return text;
  }

  /** Texts of the CodeLenses shown in the active editor, top to bottom. */
  async codeLensTexts(): Promise<string[]> {
    const lenses = this.page.locator('.editor-instance .monaco-editor .codelens-decoration');
    return (await lenses.allInnerTexts()).map((t) => t.replace(/\s+/g, ' ').trim());
  }

  /** Opens the Problems panel and returns every row, scrolling through the virtualised list. */
  async readProblems(): Promise<ProblemRow[]> {
    await this.runCommand('View: Focus Problems (Errors, Warnings, Infos)');
    const rows = await readProblemsPanel(this.page);
    return rows.map((row) => ({ ...row, file: this.workspaceRelative(row.file) }));
  }

  /** Opens a view container from the activity bar by its title (e.g. "Training", "Explorer"). */
  async openViewContainer(title: string): Promise<void> {
    const item = this.page.locator(`.part.activitybar .action-item a[aria-label^="${title}"]`).first();
    await item.waitFor();
    const checked = await item.locator('xpath=..').getAttribute('aria-selected');
    // A count badge (e.g. datasets with errors) can cover the icon: the click goes to the badge, inside the item,
    // as a person's click there does.
    if (checked !== 'true') await item.click({ force: true });
  }

  /** The body of a side-bar view by its title, expanded. */
  async view(viewTitle: string): Promise<Locator> {
    const pane = this.page.locator('.split-view-view .pane', {
      has: this.page.locator('.pane-header .title', { hasText: new RegExp(`^${escapeRegExp(viewTitle)}$`, 'i') }),
    });
    await pane.first().waitFor();
    const header = pane.first().locator('.pane-header');
    if ((await header.getAttribute('aria-expanded')) === 'false') await header.click();
    return pane.first().locator('.pane-body');
  }

  /** Clicks the item of a tree view whose label is `label` (exact) and returns its row. */
  async clickTreeItem(viewTitle: string, label: string | RegExp): Promise<Locator> {
    const body = await this.view(viewTitle);
    const pattern = typeof label === 'string' ? new RegExp(`^${escapeRegExp(label)}$`) : label;
    const row = body.locator('.monaco-list-row', { has: this.page.locator('.label-name', { hasText: pattern }) });
    await row.first().waitFor();
    await row.first().click();
    return row.first();
  }

  /**
   * The content frame of the webview panel whose tab title is `title`. A webview is an outer iframe (VS Code's
   * host page) holding an inner iframe with the extension's HTML: this returns the inner one.
   */
  async webviewFrame(title: string): Promise<Frame> {
    const tab = this.page.locator('.tabs-container .tab', {
      has: this.page.locator('.label-name', { hasText: new RegExp(`^${escapeRegExp(title)}$`) }),
    });
    await tab.first().waitFor();
    await tab.first().click();
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline) {
      for (const outer of await this.page.locator('iframe.webview').all()) {
        try {
          if (!(await outer.isVisible())) continue;
          const outerFrame = await (await outer.elementHandle())?.contentFrame();
          const innerHandle = await outerFrame?.$('iframe#active-frame');
          const inner = await innerHandle?.contentFrame();
          if (inner && (await inner.evaluate(() => document.readyState)) === 'complete') return inner;
        } catch (error) {
          // A webview that reloads while it is looked at (a theme change re-renders every panel) loses its frames
          // under our feet: look again.
          if (!/Execution context was destroyed|detached|Target closed/i.test(String(error))) throw error;
        }
      }
      await this.page.waitForTimeout(200);
    }
    throw new Error(`no visible webview for the tab "${title}"`);
  }

  /** Texts of the notification toasts on screen. */
  async notifications(): Promise<string[]> {
    return this.page.locator('.notification-toast .notification-list-item-message').allInnerTexts();
  }

  /** Saves a PNG of the whole window into artifacts/screenshots/ and returns its path. */
  async screenshot(name: string): Promise<string> {
    mkdirSync(screenshotsDir, { recursive: true });
    const path = join(screenshotsDir, `${name}.png`);
    await this.page.screenshot({ path });
    return path;
  }

  /**
   * Switches the colour theme the way a person does (Preferences: Color Theme), which also writes it to the
   * user settings. (The initial theme is set in settings.json before start: see startCodeServer's `theme`.)
   */
  async setTheme(theme: ThemeName): Promise<void> {
    await this.runCommand('Preferences: Color Theme');
    // The picker labels a theme without the "Default " of its settings id; it fills in once themes are scanned.
    const label = theme.replace(/^Default /, '');
    const input = this.page.locator('.quick-input-widget .quick-input-box input');
    await input.fill(label);
    const row = this.page.locator('.quick-input-list .monaco-list-row', {
      has: this.page.locator('.label-name', { hasText: new RegExp(`^${escapeRegExp(label)}$`) }),
    });
    await row.first().click();
    const themeClass = theme.includes('Light') ? 'vs' : 'vs-dark';
    await this.page.locator(`.monaco-workbench.${themeClass}`).waitFor({ timeout: 30_000 });
    await this.page.locator('.quick-input-widget').waitFor({ state: 'hidden' });
  }

  /** Reloads the window (Developer: Reload Window) and waits for the workbench to come back. */
  async reloadWindow(): Promise<void> {
    const reloaded = this.page.waitForEvent('load', { timeout: 60_000 });
    await this.runCommand('Developer: Reload Window');
    await reloaded;
    await this.waitForWorkbench();
  }

  /** Moves the cursor to a 1-based line and column through Go to Line (Ctrl+G). */
  async goToPosition(line: number, column = 1): Promise<void> {
    await this.dismissQuickInput();
    await this.page.keyboard.press('Control+G');
    const input = this.page.locator('.quick-input-widget .quick-input-box input');
    await input.waitFor();
    await input.fill(`:${line}:${column}`);
    await this.page.keyboard.press('Enter');
    await input.waitFor({ state: 'hidden' });
  }

  /**
   * Applies the quick fix titled `title` at a position of the active editor (Ctrl+. then a click on it).
   * Returns the titles that were offered, for a clear failure message.
   */
  async applyQuickFix(line: number, column: number, title: string | RegExp): Promise<string[]> {
    await this.goToPosition(line, column);
    // The menu's own panel, not the (empty) submenu panel that shares its class.
    const menu = this.page.locator('.action-widget:not(.action-list-submenu-panel)').filter({ visible: true });
    // Ctrl+. can land while the editor is still computing its code actions and open nothing: ask again.
    for (let attempt = 1; ; attempt++) {
      await this.page.keyboard.press('Control+.');
      try {
        await menu.waitFor({ timeout: 5000 });
        break;
      } catch (error) {
        if (attempt === 3) throw error;
        await this.goToPosition(line, column);
      }
    }
    const rows = menu.locator('.monaco-list-row.action');
    await rows.first().waitFor();
    const offered = (await rows.allInnerTexts()).map((t) => t.trim());
    const pattern = typeof title === 'string' ? new RegExp(escapeRegExp(title)) : title;
    const match = rows.filter({ hasText: pattern });
    if ((await match.count()) === 0) {
      await this.page.keyboard.press('Escape');
      throw new Error(`no quick fix matching ${pattern} at ${line}:${column}; offered: ${JSON.stringify(offered)}`);
    }
    await match.first().click();
    await menu.waitFor({ state: 'hidden' });
    return offered;
  }

  /** Saves the active editor (File: Save, which works wherever the keyboard focus is). */
  async save(): Promise<void> {
    await this.runCommand('File: Save');
    await this.page.locator('.tabs-container .tab.active.dirty').waitFor({ state: 'detached' });
  }

  private async dismissQuickInput(): Promise<void> {
    const widget = this.page.locator('.quick-input-widget');
    if (await widget.isVisible()) {
      await this.page.keyboard.press('Escape');
      await widget.waitFor({ state: 'hidden' });
    }
  }

  private workspaceRelative(path: string): string {
    return path.startsWith('/') ? relative(this.server.workspace, path) : path;
  }
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
