// Read-only virtual documents for "Try adapter": the base model's answer and the adapter's, opened in a diff
// editor so they sit side by side.
import * as vscode from 'vscode';

export const TRY_SCHEME = 'brightrun-try';

export class TryDocuments implements vscode.TextDocumentContentProvider {
  private readonly texts = new Map<string, string>();
  private counter = 0;

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.texts.get(uri.path) ?? '';
  }

  async show(prompt: string, base: string | null, adapter: string | null, runLabel: string): Promise<void> {
    const id = ++this.counter;
    const header = (who: string) => `# ${who}\n\nPrompt: ${prompt}\n\n---\n\n`;
    const left = vscode.Uri.from({ scheme: TRY_SCHEME, path: `/${id}/base.md` });
    const right = vscode.Uri.from({ scheme: TRY_SCHEME, path: `/${id}/adapter.md` });
    const body = (answer: string | null, missing: string) => (answer === null ? missing : answer.trim() === '' ? '(an empty answer)' : answer);
    this.texts.set(left.path, `${header('Base model')}${body(base, '(the base model was not asked)')}\n`);
    this.texts.set(right.path, `${header(`With the adapter of ${runLabel}`)}${body(adapter, '(no answer)')}\n`);
    await vscode.commands.executeCommand('vscode.diff', left, right, `Base ↔ Adapter (${runLabel}): ${prompt.slice(0, 40)}`, { preview: false });
  }
}
