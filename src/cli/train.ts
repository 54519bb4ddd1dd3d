// `brightrun train CONFIG [--host NAME] [--follow] [--dry-run]`: checks the config and the data, prints the
// estimate, launches the run, and with --follow prints live metrics until it ends (Ctrl-C detaches; the run
// goes on). --dry-run stops before launching and prints the trainer config the run would get.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CommandHandler } from './commandArgs';
import { parseRunConfigText, formatProblems } from '../contracts/validateRunConfig';
import { localPaths, resolveConfig } from '../core/config/resolveConfig';
import type { RunConfigFile } from '../contracts/runConfigFile';
import { estimateRun, type Estimate } from '../core/config/estimate';
import { paramsFromModelConfig } from '../core/config/throughputTable';
import type { DatasetStats } from '../contracts/dataset';
import { validateFile } from '../core/dataset';
import { nodeDatasetFiles } from '../platform/nodeDatasetFiles';
import { methodFormatProblem } from '../contracts/preference';
import { LocalHost } from '../platform/localHost';
import { openCliRegistry } from './cliContext';
import { configFromTemplate } from './templateArgs';
import { exitCodeOf, followInTerminal, summaryLines } from './runOutput';
import type { RunRegistry } from '../core/runs';
import { escapeForTerminal as shown, escapeJsonForTerminal, escapeLinesForTerminal } from './terminalText';
import { printSweepPlan, trainSweep } from './trainSweep';

function readConfig(path: string, sets: readonly string[]): RunConfigFile | string {
  if (!existsSync(path)) return `${path}: no such file`;
  const text = readFileSync(path, 'utf8');
  const result = parseRunConfigText(text);
  if (!result.ok) return `${path} has problems:\n${formatProblems(result.problems)}`;
  if (!result.config.template && sets.length === 0) return result.config;
  // A template (or --set given): its variables filled from --set and its defaults.
  return configFromTemplate(path, JSON.parse(text.replace(/^\uFEFF/, '')), sets, process.cwd());
}

/** Validates the training and validation files: 'invalid' (after printing why) when they have errors, else the
 *  training file's statistics (null when the file is only on the host). */
async function checkData(config: RunConfigFile, configPath: string): Promise<DatasetStats | null | 'invalid'> {
  const paths = localPaths(config, configPath);
  let trainStats: DatasetStats | null = null;
  for (const [role, path] of [
    ['training', paths.train],
    ['validation', paths.validation],
  ] as const) {
    if (path === null || !existsSync(path)) continue; // a path only the host has: the launch checks it there
    const report = await validateFile(path, { files: nodeDatasetFiles, maxSeqLen: config.maxSeqLen });
    if (report.stats.errors > 0) {
      console.error(
        `brightrun: the ${role} file has ${report.stats.errors} error(s); nothing was launched. See them with:\n  brightrun validate ${shown(path)}`,
      );
      return 'invalid';
    }
    const mismatch = methodFormatProblem(config.method, report.format);
    if (mismatch) {
      console.error(`brightrun: the ${role} file ${shown(path)}: ${mismatch}; nothing was launched.`);
      return 'invalid';
    }
    if (role === 'training') trainStats = report.stats;
  }
  return trainStats;
}

async function localGpuName(): Promise<string> {
  try {
    const r = await new LocalHost('/').exec(['nvidia-smi', '--query-gpu=name', '--format=csv,noheader'], { timeoutMs: 5000 });
    return r.code === 0 && r.stdout.trim() ? r.stdout.trim().split('\n')[0] : 'cpu';
  } catch {
    return 'cpu';
  }
}

function modelParams(baseModel: string): number | undefined {
  const file = join(baseModel, 'config.json');
  if (!existsSync(file)) return undefined;
  try {
    return paramsFromModelConfig(JSON.parse(readFileSync(file, 'utf8')));
  } catch {
    return undefined;
  }
}

async function estimate(registry: RunRegistry, config: RunConfigFile, configPath: string, host: string, stats: DatasetStats | null): Promise<Estimate | null> {
  if (stats === null) return null;
  const paths = localPaths(config, configPath);
  const resolved = resolveConfig(config, { runId: 'estimate', trainPathOnHost: paths.train, validationPathOnHost: paths.validation });
  return estimateRun({
    stats,
    config: { ...resolved, base_model: config.baseModel },
    host,
    gpu: host === 'local' ? await localGpuName() : undefined,
    modelParams: modelParams(paths.baseModel),
    pricePerGpuHour: config.pricePerGpuHour,
    history: registry.throughputHistory(),
  });
}

function formatDuration(seconds: number): string {
  if (seconds < 90) return `${Math.round(seconds)} s`;
  if (seconds < 5400) return `${Math.round(seconds / 60)} min`;
  return `${(seconds / 3600).toFixed(1)} h`;
}

export const run: CommandHandler = async (args) => {
  const configPath = args.positionals[0];
  const config = readConfig(configPath, args.values('set'));
  if (typeof config === 'string') {
    // Problems list one per line; the values they quote come from the file.
    console.error(`brightrun train: ${escapeLinesForTerminal(config)}`);
    return 2;
  }
  const host = args.value('host') ?? config.host;
  const stats = await checkData(config, configPath);
  if (stats === 'invalid') return 1;

  const { registry, hosts } = await openCliRegistry(false);
  try {
    const plan = await estimate(registry, config, configPath, host, stats);
    if (plan) {
      const cost = plan.costUsd === null ? '' : `, about $${plan.costUsd.toFixed(2)}`;
      console.log(`Estimate: ${plan.steps} steps, about ${formatDuration(plan.durationS)}${cost}.`);
      console.log(`  ${plan.basis}`);
    }
    if (args.flag('dry-run')) {
      const paths = localPaths(config, configPath);
      const resolved = resolveConfig(config, {
        runId: 'dry-run',
        trainPathOnHost: paths.train,
        validationPathOnHost: paths.validation,
        baseModelOnHost: paths.baseModel,
      });
      console.log(`Dry run: nothing launched. The trainer would get (paths before upload to ${host}):`);
      console.log(escapeJsonForTerminal(JSON.stringify(resolved, null, 2)));
      return config.sweep ? printSweepPlan(config, configPath) : 0;
    }
    if (config.sweep) return await trainSweep(registry, hosts, { config, configFile: configPath, host }, args.flag('follow'));
    const info = await registry.launch({
      config,
      configFile: configPath,
      host,
      onProgress: (message) => console.log(`  ${shown(message)}`),
    });
    console.log(`Run ${info.id} started on ${shown(info.host)}: ${shown(info.runDir)}`);
    if (!args.flag('follow')) {
      console.log(`Follow it with: brightrun logs ${info.id} -f`);
      return 0;
    }
    const outcome = await followInTerminal(registry, info.id);
    if (outcome.kind === 'ended') for (const line of summaryLines(outcome.info)) console.log(line);
    return exitCodeOf(outcome);
  } finally {
    registry.dispose();
    hosts.dispose();
  }
};
