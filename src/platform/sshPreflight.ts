// Runs the trainer's preflight on a host and interprets it. The interpreter is looked up first, so a missing
// Python gets its own clear answer instead of a shell's "command not found".
import type { Host } from '../core/hosts/host';
import type { HostSettings } from '../core/hosts/hostSettings';
import { extractPreflightJson, interpretPreflight, preflightFailure, type PreflightContext, type PreflightReport } from '../core/hosts/preflight';

async function absolute(host: Host, path: string): Promise<string> {
  const resolver = (host as Partial<{ resolvePath(p: string): Promise<string> }>).resolvePath;
  return resolver ? resolver.call(host, path) : path;
}

export async function runPreflight(
  host: Host,
  settings: Pick<HostSettings, 'python' | 'manageEnv'>,
  trainerDir: string,
  baseModel?: string,
  /** interpreterOnly: the bare interpreter of a host whose environment is not built yet; only what any Python
   *  can check (its version, GPUs through nvidia-smi, disk), the packages and the model come once it exists. */
  options: { python?: string; requireGpu?: boolean; interpreterOnly?: boolean } = {},
): Promise<PreflightReport> {
  const python = options.python ?? settings.python;
  const ctx: PreflightContext = { host: host.name, python, envWillInstall: settings.manageEnv && !options.python, requireGpu: options.requireGpu };
  const found = await host.exec(['sh', '-c', 'command -v "$1"', 'sh', python]);
  if (found.code !== 0) return preflightFailure(ctx, 127, '', `${python}: not found`);
  const argv = [python, '-m', 'brightrun_trainer', 'preflight', '--workdir', await absolute(host, host.workdir)];
  if (options.interpreterOnly) argv.push('--interpreter-only');
  else if (baseModel) argv.push('--base-model', baseModel);
  // The workdir may not exist yet on a fresh host; the disk it will live on is what matters.
  await host.mkdirp(host.workdir);
  // A Slurm login node has no GPUs: the preflight runs on a compute node through a short srun.
  const onNode = (host as Partial<{ onComputeNode(argv: readonly string[]): string[] }>).onComputeNode;
  const command = onNode ? onNode.call(host, argv) : argv;
  const r = await host.exec(command, { env: { PYTHONPATH: await absolute(host, trainerDir) }, timeoutMs: 120_000 });
  const json = extractPreflightJson(r.stdout);
  if (json === null) return preflightFailure(ctx, r.code, r.stdout, r.stderr);
  return interpretPreflight(ctx, json);
}
