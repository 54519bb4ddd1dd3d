// Reads the Problems panel. Its tree is virtualised (only the rows on screen exist in the DOM), so we scroll
// through it and collect rows by their list index until the end of the list.
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
  // The panel keeps its scroll position between openings: start from the top (row 0 rendered).
  await page.mouse.wheel(0, -1_000_000);
  await until(async () => (await visibleIndexes(page)).includes(0), 5_000);
  // Scroll down until a scroll renders no row beyond the last one seen: the end of the list. Waiting for the
  // rendered rows to change (rather than for a frame) keeps this right on a busy machine.
  for (let round = 0; round < 1_000; round++) {
    for (const row of await collectVisibleRows(page)) seen.set(row.index, row);
    const last = Math.max(...seen.keys());
    await page.mouse.wheel(0, 200);
    const moved = await until(async () => Math.max(...(await visibleIndexes(page))) > last, 1_500);
    if (!moved) break;
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

async function visibleIndexes(page: Page): Promise<number[]> {
  return page
    .locator('.markers-panel .monaco-list-row')
    .evaluateAll((elements) => elements.map((element) => Number(element.getAttribute('data-index'))));
}

/** Polls `condition` every 50 ms; false when it did not hold within `timeoutMs`. */
async function until(condition: () => Promise<boolean>, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  do {
    if (await condition()) return true;
    await new Promise((r) => setTimeout(r, 50));
  } while (Date.now() < deadline);
  return false;
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
