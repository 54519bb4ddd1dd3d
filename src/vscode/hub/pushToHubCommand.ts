// "Push Adapter to Hugging Face Hub": token (SecretStorage) -> repository id -> visibility -> upload with progress.
import * as vscode from 'vscode';
import type { AdapterRef } from '../models/adapterRef';
import { repoIdProblem, suggestRepoName } from './hubNames';
import { HubTokenStore } from './hubToken';
import { DEFAULT_HUB_URL, hubUserName, pushAdapterToHub } from './hubUploader';
import { SETTINGS_SECTION, readHubUrl } from '../settings';

export interface PushToHubDeps {
  tokens: HubTokenStore;
  log: vscode.LogOutputChannel;
  /** A local folder with the adapter (downloads a remote one first); undefined when the user cancelled. */
  ensureLocal(adapter: AdapterRef): Promise<string | undefined>;
  /** Lets the command be run from the palette: asks which adapter. */
  pickAdapter(): Promise<AdapterRef | undefined>;
}

/** `brightrun.hubUrl` for Hub mirrors and private deployments; HF_ENDPOINT as the Python tools read it. */
export function hubUrl(): string {
  const setting = readHubUrl(vscode.workspace.getConfiguration(SETTINGS_SECTION)).value;
  return setting || process.env.HF_ENDPOINT || DEFAULT_HUB_URL;
}

function isAuthError(error: unknown): boolean {
  const status = (error as { statusCode?: number })?.statusCode;
  return status === 401 || status === 403;
}

async function userForToken(deps: PushToHubDeps, url: string): Promise<{ token: string; user: string } | undefined> {
  let token = await deps.tokens.getOrAsk('To push adapters to the Hub, BrightRun needs your token.');
  for (let attempt = 0; token && attempt < 3; attempt++) {
    try {
      const user = await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: 'Checking the Hugging Face token' }, () =>
        hubUserName(token as string, url),
      );
      return { token, user };
    } catch (error) {
      if (!isAuthError(error)) throw error;
      await deps.tokens.forget();
      token = await deps.tokens.ask('The Hub refused the stored token (expired or revoked?).');
    }
  }
  return undefined;
}

export function createPushToHubCommand(deps: PushToHubDeps) {
  return async (adapterArg?: AdapterRef | { adapter?: AdapterRef }): Promise<string | undefined> => {
    const adapter = (adapterArg && 'adapter' in adapterArg ? adapterArg.adapter : (adapterArg as AdapterRef | undefined)) ?? (await deps.pickAdapter());
    if (!adapter) return undefined;
    const url = hubUrl();
    try {
      const account = await userForToken(deps, url);
      if (!account) return undefined;
      const repoId = await vscode.window.showInputBox({
        title: `Push adapter of ${adapter.runLabel} to the Hub`,
        prompt: 'Repository id (created if it does not exist)',
        value: `${account.user}/${suggestRepoName(adapter.baseModel, adapter.runId)}`,
        valueSelection: [account.user.length + 1, account.user.length + 1 + suggestRepoName(adapter.baseModel, adapter.runId).length],
        ignoreFocusOut: true,
        validateInput: (value) => repoIdProblem(value.trim()),
      });
      if (!repoId) return undefined;
      const visibility = await vscode.window.showQuickPick(
        [
          { label: '$(lock) Private', description: 'only you and your organisation (recommended)', private: true },
          { label: '$(globe) Public', description: 'anyone can download it', private: false },
        ],
        { title: 'Visibility of a new repository (an existing one keeps its own)', ignoreFocusOut: true },
      );
      if (!visibility) return undefined;
      const adapterDir = await deps.ensureLocal(adapter);
      if (!adapterDir) return undefined;

      const result = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: `Pushing to ${repoId.trim()}`, cancellable: true },
        async (progress, cancel) => {
          const abort = new AbortController();
          cancel.onCancellationRequested(() => abort.abort());
          let reported = 0;
          return pushAdapterToHub({
            hubUrl: url,
            token: account.token,
            repoId: repoId.trim(),
            private: visibility.private,
            adapterDir,
            commitTitle: `Add LoRA adapter trained by BrightRun (run ${adapter.runId})`,
            card: { baseModel: adapter.baseModel, runId: adapter.runId, finalEvalLoss: adapter.evalLoss },
            signal: abort.signal,
            onProgress: ({ stage, doneBytes, totalBytes }) => {
              const percent = totalBytes > 0 ? Math.floor((doneBytes / totalBytes) * 100) : 0;
              const words = {
                checking: 'checking the repository',
                creating: 'creating the repository',
                uploading: `uploading ${percent}%`,
                committing: 'committing',
                done: 'done',
              }[stage];
              progress.report({ message: words, increment: Math.max(0, percent - reported) });
              reported = Math.max(reported, percent);
            },
          });
        },
      );
      deps.log.info(`Pushed adapter of run ${adapter.runId} to ${result.url} (${result.files.join(', ')})`);
      const open = await vscode.window.showInformationMessage(
        `Adapter pushed to ${repoId.trim()}${result.created ? ` (new ${visibility.private ? 'private' : 'public'} repository)` : ''}.`,
        'Open on the Hub',
      );
      if (open) void vscode.env.openExternal(vscode.Uri.parse(result.url));
      return result.url;
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      deps.log.error(`Push to the Hub failed: ${message}`);
      if ((error as Error)?.name === 'AbortError') return undefined;
      void vscode.window.showErrorMessage(`Push to the Hugging Face Hub failed: ${message}`);
      return undefined;
    }
  };
}

export function createForgetHubTokenCommand(tokens: HubTokenStore) {
  return async () => {
    await tokens.forget();
    void vscode.window.showInformationMessage("The Hugging Face token was removed from VS Code's secret storage.");
  };
}
