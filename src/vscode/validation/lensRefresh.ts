// When to tell VS Code that the summary CodeLens changed. Firing once per publish is not enough: VS Code
// waits a moment (its CodeLens debounce) before asking the provider again, and drops that pending request if
// the editor loses focus meanwhile (it asks again only when the editor is focused again). A publish that lands
// just before the user reaches for the command palette, the Problems panel or a menu (File: Save) would
// otherwise leave the lens showing the text it had before the edit. So each refresh fires at once and once more
// after the user has had time to move on; the late one reaches an editor that no longer has focus, where nothing
// cancels it. Saving fires too (see summaryLens.ts). Plain timers, no 'vscode', so it is unit-tested.

/** How long after a refresh the late one fires: longer than VS Code's CodeLens debounce on a busy machine. */
export const LATE_REFRESH_MS = 1_500;

export class LensRefresh {
  private late: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly fire: () => void,
    private readonly lateMs = LATE_REFRESH_MS,
  ) {}

  /** Fires now and once more after `lateMs`; a burst of refreshes leaves one late fire, after the last. */
  refresh(): void {
    this.fire();
    if (this.late !== undefined) clearTimeout(this.late);
    this.late = setTimeout(() => {
      this.late = undefined;
      this.fire();
    }, this.lateMs);
  }

  dispose(): void {
    if (this.late !== undefined) clearTimeout(this.late);
    this.late = undefined;
  }
}
