// Gets a host ready to train, once: the trainer package copied at the version this build ships, a virtualenv
// with its requirements (created once, reused after), and datasets uploaded to a content-addressed place.
// Works through the Host interface, so it is the same for any host that needs it.
import { createHash } from 'node:crypto';
import { createReadStream, existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { posix } from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { Host, Progress } from '../core/hosts/host';
import type { HostSettings } from '../core/hosts/hostSettings';
import type { TrainerConfig } from '../contracts/trainerConfig';
import type { TrainerRuntime } from '../core/runs/runLauncher';
import {
  CREATE_ENV_SCRIPT,
  ENV_READY_MARKER,
  environmentKey,
  explainEnvFailure,
  hostLayout,
  trainerCodeHash,
  type TrainerSource,
} from '../core/hosts/environment';

/** Hosts whose paths may start with `~/` can turn them into absolute ones (the trainer needs real paths). */
async function absolute(host: Host, path: string): Promise<string> {
  const resolver = (host as Partial<{ resolvePath(p: string): Promise<string> }>).resolvePath;
  return resolver ? resolver.call(host, path) : path;
}

/** The python/ folder shipped next to this build (dist/ in the extension and CLI, src/ in tests). */
export function findTrainerSourceDir(start = __dirname): string {
  for (let dir = resolve(start); ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'python', 'brightrun_trainer', '__init__.py'))) return join(dir, 'python');
    if (dirname(dir) === dir) throw new Error(`Cannot find the trainer package (python/brightrun_trainer) above ${start}.`);
  }
}

export function loadTrainerSource(pythonDir: string): TrainerSource {
  const pkg = join(pythonDir, 'brightrun_trainer');
  const files = new Map<string, Buffer>();
  const walk = (dir: string) => {
    for (const name of readdirSync(dir).sort()) {
      const path = join(dir, name);
      if (name === '__pycache__' || name.endsWith('.pyc')) continue;
      if (statSync(path).isDirectory()) walk(path);
      else files.set(relative(pythonDir, path).split(sep).join('/'), readFileSync(path));
    }
  };
  walk(pkg);
  const init = files.get('brightrun_trainer/__init__.py')?.toString('utf8') ?? '';
  const version = /__version__\s*=\s*["']([^"']+)["']/.exec(init)?.[1] ?? '0';
  return { files, requirements: readFileSync(join(pythonDir, 'requirements.txt')), version };
}

async function runScript(host: Host, script: string, args: string[]): Promise<{ code: number; output: string }> {
  const r = await host.exec(['sh', '-c', script, 'sh', ...args]);
  return { code: r.code, output: `${r.stdout}${r.stderr}` };
}

/** Copies the trainer package to <workdir>/trainer/<code hash>/ unless an identical copy is there. */
export async function ensureTrainerCode(host: Host, source: TrainerSource, log: (line: string) => void = () => {}): Promise<string> {
  const dir = hostLayout(host.workdir).trainerDir(trainerCodeHash(source));
  if (await host.stat(posix.join(dir, '.complete'))) return dir;
  log(`Copying the trainer (${source.files.size} files) to ${host.name}:${dir}`);
  const staging = `${dir}.tmp-${process.pid}-${Date.now()}`;
  const dirs = new Set([...source.files.keys()].map((f) => posix.dirname(posix.join(staging, f))));
  for (const d of [...dirs].sort()) await host.mkdirp(d);
  const entries = [...source.files.entries(), ['requirements.txt', source.requirements] as const];
  // A few writes in flight at once: one round trip each over SSH.
  for (let i = 0; i < entries.length; i += 8) {
    await Promise.all(entries.slice(i, i + 8).map(([name, data]) => host.writeFileAtomic(posix.join(staging, name), data)));
  }
  await host.writeFileAtomic(posix.join(staging, '.complete'), `${source.version}\n`);
  // Another launch may have finished the same copy meanwhile; either copy is identical, keep the first.
  const r = await runScript(host, 'if [ -e "$2" ]; then rm -rf "$1"; else mv "$1" "$2"; fi', [staging, dir]);
  if (r.code !== 0) throw new Error(`Could not install the trainer on ${host.name}: ${r.output.trim()}`);
  return dir;
}

/** The managed environment's interpreter when it is already complete on the host, else null. */
export async function readyEnvPython(
  host: Host,
  settings: Pick<HostSettings, 'python' | 'manageEnv' | 'systemSitePackages'>,
  source: TrainerSource,
): Promise<string | null> {
  if (!settings.manageEnv) return null;
  const envDir = hostLayout(host.workdir).envDir(environmentKey(source, settings.python, settings.systemSitePackages));
  return (await host.stat(posix.join(envDir, ENV_READY_MARKER))) ? absolute(host, posix.join(envDir, 'bin', 'python')) : null;
}

/** The interpreter and environment variables that run this trainer on the host. */
export async function ensureRuntime(
  host: Host,
  settings: Pick<HostSettings, 'python' | 'manageEnv' | 'systemSitePackages'>,
  source: TrainerSource,
  log: (line: string) => void = () => {},
): Promise<TrainerRuntime> {
  const trainerDir = await ensureTrainerCode(host, source, log);
  const env = { PYTHONPATH: await absolute(host, trainerDir), PYTHONUNBUFFERED: '1' };
  if (!settings.manageEnv) return { python: settings.python, env };
  const envDir = hostLayout(host.workdir).envDir(environmentKey(source, settings.python, settings.systemSitePackages));
  const requirements = posix.join(trainerDir, 'requirements.txt');
  log(`Preparing the Python environment on ${host.name}:${envDir} (created once, reused after)`);
  const r = await runScript(host, CREATE_ENV_SCRIPT, [settings.python, envDir, requirements, settings.systemSitePackages ? '1' : '0']);
  if (r.code !== 0) throw new Error(explainEnvFailure(r.code, r.output, settings.python, host.name));
  log(r.output.trim().split('\n').at(-1) ?? '');
  return { python: await absolute(host, posix.join(envDir, 'bin', 'python')), env };
}

async function sha256OfFile(path: string): Promise<string> {
  const hash = createHash('sha256');
  await pipeline(createReadStream(path), hash);
  return hash.digest('hex');
}

/** Uploads a local dataset to <workdir>/datasets/<sha256>.jsonl unless that exact content is already there. */
export async function uploadDataset(host: Host, localPath: string, onProgress?: Progress): Promise<{ remotePath: string; uploaded: boolean }> {
  if (!existsSync(localPath)) throw new Error(`Dataset ${localPath} does not exist.`);
  const remotePath = hostLayout(host.workdir).dataset(await sha256OfFile(localPath));
  const size = statSync(localPath).size;
  const there = await host.stat(remotePath);
  // The name is the content's hash and files only get that name after a verified upload: same name, same bytes.
  if (there && there.size === size) return { remotePath: await absolute(host, remotePath), uploaded: false };
  await host.mkdirp(posix.dirname(remotePath));
  await host.upload(localPath, remotePath, onProgress);
  return { remotePath: await absolute(host, remotePath), uploaded: true };
}

/** Uploads the config's datasets and returns the config with its paths pointing at the remote copies. */
export async function uploadConfigDatasets(
  host: Host,
  config: TrainerConfig,
  onProgress?: (file: string, done: number, total: number) => void,
): Promise<{ config: TrainerConfig; uploaded: string[]; skipped: string[] }> {
  const uploaded: string[] = [];
  const skipped: string[] = [];
  const send = async (file: string) => {
    const r = await uploadDataset(host, file, (d, t) => onProgress?.(file, d, t));
    (r.uploaded ? uploaded : skipped).push(file);
    return r.remotePath;
  };
  const train_file = await send(config.train_file);
  const validation_file = config.validation_file ? await send(config.validation_file) : null;
  return { config: { ...config, train_file, validation_file }, uploaded, skipped };
}
