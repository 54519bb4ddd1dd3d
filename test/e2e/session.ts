// A session of the real VS Code (code-server with the packaged extension) driven by headless Chromium, plus
// workspace and polling helpers. Free of vitest, so benchmarks and scripts can drive the editor too; tests
// import everything from ./harness.ts, which adds useSession().
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { type CodeServer, type CodeServerOptions, repoRoot, startCodeServer } from './codeServer';
import { Workbench, artifactsDir } from './workbench';

export interface Session {
  server: CodeServer;
  workbench: Workbench;
}

/** Starts VS Code on a workspace with the packaged extension and opens it in Chromium. */
export async function startSession(options: CodeServerOptions): Promise<Session> {
  const server = await startCodeServer(options);
  try {
    const workbench = await Workbench.open(server);
    return { server, workbench };
  } catch (error) {
    saveLogs(server, 'session-start');
    await server.stop();
    throw error;
  }
}

export async function closeSession(session: Session | undefined): Promise<void> {
  if (!session) return;
  try {
    await session.workbench.close();
  } finally {
    await session.server.stop();
  }
}

/**
 * Polls `probe` until `done` accepts its value, and returns that value. For states the workbench reaches
 * asynchronously (diagnostics after a debounce, an extension activating); the timeout only bounds a failure.
 */
export async function eventually<T>(what: string, probe: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: T | undefined;
  let lastError: unknown;
  while (Date.now() < deadline) {
    try {
      last = await probe();
      if (done(last)) return last;
    } catch (error) {
      lastError = error;
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  const seen = lastError ? String(lastError) : JSON.stringify(last, null, 1)?.slice(0, 4000);
  throw new Error(`timed out waiting for ${what}; last seen: ${seen}`);
}

// Temp workspaces are removed when the test process ends, after the sessions that used them are gone.
const temporaryFolders = new Set<string>();

function removeAtExit(folder: string): void {
  if (temporaryFolders.size === 0) process.once('exit', () => removeTemporaryFolder());
  temporaryFolders.add(folder);
}

/** Removes a workspace made by makeWorkspace (all of them without an argument); other paths are left alone. */
export function removeTemporaryFolder(folder?: string): void {
  for (const path of folder ? [folder] : [...temporaryFolders]) {
    if (!temporaryFolders.delete(path)) continue;
    rmSync(path, { recursive: true, force: true });
  }
}

/** A temp workspace folder holding the given files (path relative to the folder -> content). */
export function makeWorkspace(files: Record<string, string>): string {
  const folder = mkdtempSync(join(tmpdir(), 'brightrun-workspace-'));
  removeAtExit(folder);
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(folder, path)), { recursive: true });
    writeFileSync(join(folder, path), content);
  }
  return folder;
}

/** A temp workspace folder with a copy of the repository's samples/ (the validator's sample datasets). */
export function workspaceWithSamples(): string {
  const folder = makeWorkspace({});
  cpSync(join(repoRoot, 'samples'), folder, { recursive: true });
  return folder;
}

/** The project's Python (with torch, transformers and peft), which the training tests name as the runs' Python. */
export const projectPython = join(repoRoot, '.venv', 'bin', 'python');

/** Builds the trainer's tiny model (random weights, a tokenizer trained on the workspace's chat samples; no
 *  download) at `<workspace>/models/tiny` and returns its path. */
export function makeTinyModel(workspace: string): string {
  const model = join(workspace, 'models', 'tiny');
  execFileSync(projectPython, ['-m', 'brightrun_trainer', 'make-tiny-model', model, '--corpus', join(workspace, 'chat-train.jsonl')], {
    env: { ...process.env, PYTHONPATH: join(repoRoot, 'python') },
    stdio: 'pipe',
    timeout: 120_000,
  });
  return model;
}

export async function saveFailureArtifacts(session: Session, testName: string): Promise<void> {
  const name = slug(testName);
  try {
    await session.workbench.screenshot(`failed-${name}`);
  } catch {
    // the page may be gone; the logs below still help
  }
  saveLogs(session.server, name);
}

function saveLogs(server: CodeServer, name: string): void {
  const target = join(artifactsDir, 'e2e-logs', name);
  mkdirSync(target, { recursive: true });
  if (existsSync(server.logPath)) cpSync(server.logPath, join(target, 'code-server.log'));
  // VS Code's own logs: the extension host's output (and our extension's output channel) live here.
  if (existsSync(server.vscodeLogsDir)) {
    for (const session of readdirSync(server.vscodeLogsDir)) {
      cpSync(join(server.vscodeLogsDir, session), join(target, 'vscode-logs', session), { recursive: true });
    }
  }
}

function slug(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
    .slice(0, 80);
}
