// The Hugging Face token: asked once, kept in VS Code's SecretStorage (never in settings, logs or arguments).
import * as vscode from 'vscode';

const SECRET_KEY = 'brightrun.huggingface.token';

export class HubTokenStore {
  constructor(private readonly secrets: vscode.SecretStorage) {}

  get(): Thenable<string | undefined> {
    return this.secrets.get(SECRET_KEY);
  }

  /** The stored token, or asks for one (and stores it); undefined when the user cancels. */
  async getOrAsk(reason?: string): Promise<string | undefined> {
    return (await this.get()) ?? this.ask(reason);
  }

  async ask(reason?: string): Promise<string | undefined> {
    const token = await vscode.window.showInputBox({
      title: 'Hugging Face access token',
      prompt: `${reason ? `${reason} ` : ''}Paste a token with write access (huggingface.co/settings/tokens). It is kept in VS Code's secret storage.`,
      password: true,
      ignoreFocusOut: true,
      placeHolder: 'hf_…',
      validateInput: (value) => (/^\S{8,}$/.test(value.trim()) ? null : 'A token is at least 8 characters, without spaces.'),
    });
    const trimmed = token?.trim();
    if (!trimmed) return undefined;
    await this.secrets.store(SECRET_KEY, trimmed);
    return trimmed;
  }

  forget(): Thenable<void> {
    return this.secrets.delete(SECRET_KEY);
  }
}
