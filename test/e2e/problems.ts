// Reads the Problems panel. Its tree is virtualised (only the rows on screen exist in the DOM), so we scroll
// through it and collect rows by their list index until no new row appears.
import type { Page } from 'playwright-core';

export interface ProblemRow {
  /** Absolute path as the panel shows it (the workbench makes it workspace-relative). */
  file: string;
  line: number;
  column: number;
  message: string;
  /** The diagnostic code (e.g. `invalid_json`), '' when it has none. */
  code: string;
  source: string;
  severity: 'error' | 'warning' | 'info' | 'unknown';
}

interface RawRow {
  index: number;
  resource: string | null;
  message: string;
  code: string;
  source: string;
  position: string;
  severity: string;
}

export async function readProblemsPanel(page: Page): Promise<ProblemRow[]> {
  const panel = page.locator('.markers-panel');
  await panel.waitFor();
  const seen = new Map<number, RawRow>();
  const list = panel.locator('.monaco-list').first();
  // An empty panel shows a message instead of rows.
  if ((await panel.locator('.monaco-list-row').count()) === 0) return [];
  await list.hover();
  // Stop after a few scrolls that brought nothing new: the end of the list (the count is bounded either way).
  for (let round = 0, stale = 0; round < 500 && stale < 3; round++) {
    const before = seen.size;
    for (const row of await collectVisibleRows(page)) seen.set(row.index, row);
    stale = seen.size === before ? stale + 1 : 0;
    await page.mouse.wheel(0, 200);
    // Let the list render the rows that scrolled in.
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => r(null))));
  }
  const ordered = [...seen.values()].sort((a, b) => a.index - b.index);
  const problems: ProblemRow[] = [];
  let file = '';
  for (const row of ordered) {
    if (row.resource !== null) {
      file = row.resource;
      continue;
    }
    const position = /Ln (\d+), Col (\d+)/.exec(row.position);
    problems.push({
      file,
      line: position ? Number(position[1]) : 0,
      column: position ? Number(position[2]) : 0,
      message: row.message,
      code: row.code,
      source: row.source,
      severity: (['error', 'warning', 'info'] as const).find((s) => row.severity.split(/\s+/).includes(s)) ?? 'unknown',
    });
  }
  return problems;
}

async function collectVisibleRows(page: Page): Promise<RawRow[]> {
  return page.locator('.markers-panel .monaco-list-row').evaluateAll((elements) =>
    // No named helper functions in here: this runs in the page, where a bundler's name-keeping shims do not exist.
    elements.map((element) => {
      const [message, code, source, position] = ['.marker-message', '.marker-code', '.marker-source', '.marker-line'].map(
        (selector) => (element.querySelector(selector) as HTMLElement | null)?.innerText.trim() ?? '',
      );
      // A file row carries the file's absolute path on its icon label; a marker row carries a marker icon.
      const isMarker = element.querySelector('.marker-icon') !== null;
      return {
        index: Number(element.getAttribute('data-index')),
        resource: isMarker ? null : (element.querySelector('.monaco-icon-label')?.getAttribute('aria-label') ?? ''),
        message,
        code,
        source,
        position,
        severity: element.querySelector('.marker-icon')?.className ?? '',
      };
    }),
  );
}
