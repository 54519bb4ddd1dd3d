// Starts the real VS Code server (code-server, installed by scripts/setup-e2e.sh) on a free loopback port with a
// throwaway user-data, extensions and config folder, so a test never sees or changes the developer's editor.
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';

export const repoRoot = resolve(__dirname, '..', '..');
export const codeServerLauncher = join(repoRoot, '.cache', 'e2e', 'bin', 'code-server');
export const packagedVsix = join(repoRoot, 'dist', 'brightrun.vsix');

export type ThemeName = 'Default Light Modern' | 'Default Dark Modern';

export interface CodeServerOptions {
  /** Absolute path of the folder to open. */
  workspace: string;
  /** VSIX files to install before start; defaults to the packaged BrightRun. */
  extensions?: string[];
  theme?: ThemeName;
  /** Extra user settings, merged over the quiet defaults below. */
  settings?: Record<string, unknown>;
  /**
   * Settings of the server machine (<user-data-dir>/Machine/settings.json). The browser window is a remote
   * window, so machine-scoped settings (e.g. `brightrun.hosts`) apply only from here, not from user settings.
   */
  machineSettings?: Record<string, unknown>;
  /** The BrightRun state folder the editor uses ($BRIGHTRUN_HOME: runs, hosts.json); a throwaway one by default,
   *  so a test never sees or changes the developer's runs. */
  brightrunHome?: string;
}

export interface CodeServer {
  url: string;
  /** The URL that opens the workspace folder. */
  workspaceUrl: string;
  workspace: string;
  userSettingsPath: string;
  logPath: string;
  /** Folder of VS Code's own logs (extension host, renderer, ...). */
  vscodeLogsDir: string;
  stop(): Promise<void>;
}

/** Settings that keep the workbench quiet and deterministic: no welcome page, chat, tips, updates or telemetry. */
export function quietSettings(theme: ThemeName): Record<string, unknown> {
  return {
    'workbench.colorTheme': theme,
    'workbench.startupEditor': 'none',
    // No fade-ins: a screenshot taken as a hover or menu opens shows it whole.
    'workbench.reduceMotion': 'on',
    'workbench.tips.enabled': false,
    'workbench.enableExperiments': false,
    'workbench.secondarySideBar.defaultVisibility': 'hidden',
    'chat.disableAIFeatures': true,
    'chat.commandCenter.enabled': false,
    'telemetry.telemetryLevel': 'off',
    'update.mode': 'none',
    'extensions.autoUpdate': false,
    'extensions.autoCheckUpdates': false,
    'extensions.ignoreRecommendations': true,
    'security.workspace.trust.enabled': false,
    'git.enabled': false,
    'editor.minimap.enabled': false,
    'files.autoSave': 'off',
    'window.commandCenter': false,
  };
}

export async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolvePort(port));
    });
  });
}

function ensureInstalled(): void {
  if (!existsSync(codeServerLauncher)) {
    throw new Error(`code-server is not installed (${codeServerLauncher}): run \`bash scripts/setup-e2e.sh\``);
  }
}

export async function startCodeServer(options: CodeServerOptions): Promise<CodeServer> {
  ensureInstalled();
  const extensions = options.extensions ?? [packagedVsix];
  for (const vsix of extensions) {
    if (!existsSync(vsix)) throw new Error(`${vsix} does not exist: run \`npm run package\` first`);
  }
  const home = mkdtempSync(join(tmpdir(), 'brightrun-e2e-'));
  const userDataDir = join(home, 'user-data');
  const extensionsDir = join(home, 'extensions');
  const userSettingsPath = join(userDataDir, 'User', 'settings.json');
  mkdirSync(join(userDataDir, 'User'), { recursive: true });
  mkdirSync(extensionsDir, { recursive: true });
  writeFileSync(userSettingsPath, JSON.stringify({ ...quietSettings(options.theme ?? 'Default Dark Modern'), ...options.settings }, null, 2));
  if (options.machineSettings) {
    mkdirSync(join(userDataDir, 'Machine'), { recursive: true });
    writeFileSync(join(userDataDir, 'Machine', 'settings.json'), JSON.stringify(options.machineSettings, null, 2));
  }
  // code-server writes its config.yaml under XDG_CONFIG_HOME: keep it inside the throwaway folder too.
  const env = {
    ...process.env,
    XDG_CONFIG_HOME: join(home, 'config'),
    XDG_DATA_HOME: join(home, 'data'),
    BRIGHTRUN_HOME: options.brightrunHome ?? join(home, 'brightrun'),
    VSCODE_CLI_DISABLE_TELEMETRY: '1',
    // No marketplace: point the gallery at a closed loopback port, so nothing is ever sent off this machine.
    EXTENSIONS_GALLERY: JSON.stringify({
      serviceUrl: 'http://127.0.0.1:9/gallery',
      itemUrl: 'http://127.0.0.1:9/item',
      resourceUrlTemplate: 'http://127.0.0.1:9/resource',
    }),
  };
  const common = ['--user-data-dir', userDataDir, '--extensions-dir', extensionsDir];
  for (const vsix of extensions) {
    await promisify(execFile)(codeServerLauncher, [...common, '--install-extension', vsix, '--force'], {
      env,
      timeout: 120_000,
    });
  }

  const port = await freePort();
  const logPath = join(home, 'code-server.log');
  const logFd = openSync(logPath, 'a');
  const args = [
    ...common,
    '--auth',
    'none',
    '--bind-addr',
    `127.0.0.1:${port}`,
    '--disable-workspace-trust',
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-getting-started-override',
    '--ignore-last-opened',
  ];
  // detached: its own process group, so stop() also ends the extension host and the other helpers it spawns.
  const child = spawn(codeServerLauncher, args, { env, detached: true, stdio: ['ignore', logFd, logFd] });
  closeSync(logFd);
  killOnExit(child);
  const url = `http://127.0.0.1:${port}`;
  const server: CodeServer = {
    url,
    workspaceUrl: `${url}/?folder=${encodeURIComponent(options.workspace)}`,
    workspace: options.workspace,
    userSettingsPath,
    logPath,
    vscodeLogsDir: join(userDataDir, 'logs'),
    stop: () => stopProcessGroup(child).finally(() => rmSync(home, { recursive: true, force: true })),
  };
  try {
    await waitUntilHealthy(url, child, logPath);
  } catch (error) {
    await server.stop();
    throw error;
  }
  return server;
}

async function waitUntilHealthy(url: string, child: ChildProcess, logPath: string): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`code-server exited before it was ready:\n${tail(logPath)}`);
    }
    try {
      const response = await fetch(`${url}/healthz`);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`code-server did not answer on ${url} within 60 s:\n${tail(logPath)}`);
}

// A detached server would outlive a test runner that exits without stopping it (a crash, Ctrl-C): end the
// groups of every server still running when this process exits or is interrupted.
const running = new Set<ChildProcess>();
let exitHookInstalled = false;

function killOnExit(child: ChildProcess): void {
  running.add(child);
  child.once('exit', () => running.delete(child));
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  const killAll = () => {
    for (const server of running) {
      try {
        process.kill(-server.pid!, 'SIGKILL');
      } catch {
        // already gone
      }
    }
  };
  process.once('exit', killAll);
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    // Then die of the same signal, as the process would have without this hook.
    process.once(signal, () => {
      killAll();
      process.kill(process.pid, signal);
    });
  }
}

async function stopProcessGroup(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  const signalGroup = (signal: NodeJS.Signals) => {
    try {
      process.kill(-child.pid!, signal);
    } catch {
      // already gone
    }
  };
  signalGroup('SIGTERM');
  const timer = setTimeout(() => signalGroup('SIGKILL'), 5_000);
  await exited;
  clearTimeout(timer);
  // The extension host may outlive its parent for a moment; make sure nothing of the group is left.
  signalGroup('SIGKILL');
}

export function tail(path: string, lines = 60): string {
  try {
    return readFileSync(path, 'utf8').split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}
