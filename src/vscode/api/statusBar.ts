// A status-bar item behind a small interface: what it shows, or null to hide it. The budget item takes it in its
// constructor, so unit tests read what it would show without an editor. `vscodeStatusItem` is the real one.
import * as vscode from 'vscode';

export interface StatusItemState {
  text: string;
  tooltip: string;
  command: string;
  /** The theme's warning or error background; null: the normal one. */
  background: 'warning' | 'error' | null;
}

export interface StatusItemApi {
  /** Shows the item with this state, or hides it (null). */
  show(state: StatusItemState | null): void;
  dispose(): void;
}

export function vscodeStatusItem(id: string, name: string, priority: number): StatusItemApi {
  const item = vscode.window.createStatusBarItem(id, vscode.StatusBarAlignment.Left, priority);
  item.name = name;
  return {
    show(state) {
      if (!state) {
        item.hide();
        return;
      }
      item.text = state.text;
      item.tooltip = state.tooltip;
      item.command = state.command;
      item.backgroundColor = state.background ? new vscode.ThemeColor(`statusBarItem.${state.background}Background`) : undefined;
      item.show();
    },
    dispose: () => item.dispose(),
  };
}
