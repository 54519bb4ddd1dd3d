// The Weights & Biases API key: kept in VS Code's SecretStorage (never in settings, the run config, events, logs
// or a command line) and handed to the trainer in its environment as WANDB_API_KEY at each launch: for a local
// run in the child's environment, for an SSH run on the exec channel's stdin (Host.spawnDetached's secretEnv).
import * as vscode from 'vscode';

const SECRET_KEY = 'brightrun.wandb.apiKey';

export class WandbKeyStore {
  constructor(private readonly secrets: vscode.SecretStorage) {}

  get(): Thenable<string | undefined> {
    return this.secrets.get(SECRET_KEY);
  }

  store(key: string): Thenable<void> {
    return this.secrets.store(SECRET_KEY, key);
  }

  forget(): Thenable<void> {
    return this.secrets.delete(SECRET_KEY);
  }
}

/** The trainer's secret environment: WANDB_API_KEY when a key is stored (the host's own otherwise). */
export function trainerSecrets(store: WandbKeyStore): () => Promise<Record<string, string>> {
  return async () => {
    const key = await store.get();
    const secrets: Record<string, string> = {};
    if (key) secrets.WANDB_API_KEY = key;
    return secrets;
  };
}

/** W&B keys are 40 characters (longer with a self-hosted server's prefix), without spaces. */
export function wandbKeyProblem(value: string): string | null {
  const key = value.trim();
  if (key === '') return null; // empty: remove the stored key
  return /^\S{40,}$/.test(key) ? null : 'A W&B API key is at least 40 characters, without spaces (wandb.ai/authorize).';
}

/** BrightRun: Set Weights & Biases API Key. An empty answer removes the stored key. */
export function createSetWandbKeyCommand(store: WandbKeyStore) {
  return async (): Promise<void> => {
    const stored = (await store.get()) !== undefined;
    const value = await vscode.window.showInputBox({
      title: 'Weights & Biases API key',
      prompt:
        'Paste your API key (wandb.ai/authorize). It is kept in VS Code\'s secret storage and given to runs with "tracking": {"wandb": …} as WANDB_API_KEY.' +
        (stored ? ' Leave empty to remove the stored key.' : ''),
      password: true,
      ignoreFocusOut: true,
      validateInput: wandbKeyProblem,
    });
    if (value === undefined) return;
    if (value.trim() === '') {
      if (!stored) return;
      await store.forget();
      void vscode.window.showInformationMessage("BrightRun: the W&B API key was removed; runs use the host's own (WANDB_API_KEY or wandb login).");
      return;
    }
    await store.store(value.trim());
    void vscode.window.showInformationMessage('BrightRun: W&B API key stored; runs started from now on get it.');
  };
}
