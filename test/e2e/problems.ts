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
  /** Texts of the related-information rows under the problem (e.g. "broken.jsonl[Ln 1, Col 1]: first copy"). */
  related: string[];
}

interface RawRow {
  index: number;
  /** Tree depth: 1 a file, 2 a problem, 3 a related-information line of the problem above. */
  level: number;
  resource: string;
  text: string;
  message: string;
  code: string;
  source: string;
  position: string;
  severity: string;
}

// Rows of the list itself; a tree with sticky scroll also renders copies of parent rows (the file) on top.
const rowSelector = '.markers-panel .monaco-list-rows > .monaco-list-row';

export async function readProblemsPanel(page: Page): Promise<ProblemRow[]> {
  const panel = page.locator('.markers-panel');
  await panel.waitFor();
  const seen = new Map<number, RawRow>();
  // An empty panel shows a message instead of rows.
  if ((await page.locator(rowSelector).count()) === 0) return [];
  // Scroll with the mouse wheel, not the keyboard: moving the tree's focus would open each problem's file in
  // the editor. The pointer rests on the tree's left margin, where no hover can pop up and swallow the wheel.
  const box = await page.locator('.markers-panel .monaco-list').first().boundingBox();
  if (!box) return [];
  await page.mouse.move(box.x + 3, box.y + box.height / 2);
  // The panel keeps its scroll position between openings: start from the top (row 0 rendered).
  await scrollToTop(page);
  // Scroll down until a scroll renders no row beyond the last one seen: the end of the list. Waiting for the
  // rendered rows to change, rather than for a frame, keeps this right on a busy machine.
  for (let round = 0; round < 1_000; round++) {
    for (const row of await collectVisibleRows(page)) seen.set(row.index, row);
    const last = Math.max(...seen.keys());
    await page.mouse.wheel(0, 200);
    const moved = await until(async () => Math.max(...(await visibleIndexes(page))) > last, 1_500);
    if (!moved) break;
  }
  // Leave the list at its top, as a person would see it first (and as screenshots should show it).
  await scrollToTop(page);
  const ordered = [...seen.values()].sort((a, b) => a.index - b.index);
  const problems: ProblemRow[] = [];
  let file = '';
  for (const row of ordered) {
    if (row.level === 1) {
      file = row.resource;
      continue;
    }
    if (row.level > 2) {
      problems.at(-1)?.related.push(row.text);
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
      related: [],
    });
  }
  return problems;
}

async function scrollToTop(page: Page): Promise<void> {
  // One huge wheel delta is not honoured; a few moderate ones are.
  for (let tries = 0; tries < 50 && !(await visibleIndexes(page)).includes(0); tries++) {
    await page.mouse.wheel(0, -2_000);
    await until(async () => (await visibleIndexes(page)).includes(0), 200);
  }
}

async function visibleIndexes(page: Page): Promise<number[]> {
  return page.locator(rowSelector).evaluateAll((elements) => elements.map((element) => Number(element.getAttribute('data-index'))));
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
  return page.locator(rowSelector).evaluateAll((elements) =>
    // No named helper functions in here: this runs in the page, where a bundler's name-keeping shims do not exist.
    elements.map((element) => {
      const [message, code, source, position] = ['.marker-message', '.marker-code', '.marker-source', '.marker-line'].map(
        (selector) => (element.querySelector(selector) as HTMLElement | null)?.innerText.trim() ?? '',
      );
      // A file row carries the file's absolute path on its icon label.
      return {
        index: Number(element.getAttribute('data-index')),
        level: Number(element.getAttribute('aria-level')),
        resource: element.querySelector('.monaco-icon-label')?.getAttribute('aria-label') ?? '',
        text: (element as HTMLElement).innerText.trim(),
        message,
        code,
        source,
        position,
        severity: element.querySelector('.marker-icon')?.className ?? '',
      };
    }),
  );
}
