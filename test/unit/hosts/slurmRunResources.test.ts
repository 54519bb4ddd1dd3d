// A run config's own Slurm resources (`slurm: {nodes, gpusPerNode}`): they reach config.json, replace the host's
// settings in the sbatch script (nodes, GPUs per node, processes per node) and in what the cost multiplies by.
import { describe, expect, it } from 'vitest';
import { SlurmSettings } from '../../../src/core/hosts/hostSettings';
import { jobGpus, runJobSettings, slurmJobSettings, slurmScript } from '../../../src/core/hosts/slurmScript';
import { resolveConfig } from '../../../src/core/config/resolveConfig';
import { validateRunConfig } from '../../../src/contracts/validateRunConfig';
import { TrainerConfig } from '../../../src/contracts/trainerConfig';

const host = slurmJobSettings(SlurmSettings.parse({ nodes: 1, gpusPerNode: 8, partition: 'gpu' }));
const script = (run: TrainerConfig['slurm']) =>
  slurmScript({
    runId: 'r',
    runDir: '/shared/r',
    argv: ['python', '-m', 'brightrun_trainer', 'train', '--run-dir', '/shared/r'],
    settings: runJobSettings(host, run),
  });
const directives = (s: string) => s.split('\n').filter((l) => /^#SBATCH --(nodes|gpus-per-node|partition)=/.test(l));

function trainerConfig(slurm?: unknown): TrainerConfig {
  const parsed = validateRunConfig({ datasets: { train: 't.jsonl' }, baseModel: 'org/model', host: 'cluster', ...(slurm ? { slurm } : {}) });
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
  return resolveConfig(parsed.config, { runId: '20260101-000000-abcdef', trainPathOnHost: '/d/t.jsonl', validationPathOnHost: null });
}

describe("a run's own Slurm resources", () => {
  it('replace the host settings in the sbatch script', () => {
    const s = script(trainerConfig({ nodes: 4, gpusPerNode: 2 }).slurm);
    expect(directives(s)).toEqual(['#SBATCH --nodes=4', '#SBATCH --gpus-per-node=2', '#SBATCH --partition=gpu']);
    expect(s).toContain('BRIGHTRUN_NPROC_PER_NODE=2');
  });

  it("keep the host's value for what the run does not set, and the host's settings without any", () => {
    expect(directives(script(trainerConfig({ nodes: 3 }).slurm))).toEqual(['#SBATCH --nodes=3', '#SBATCH --gpus-per-node=8', '#SBATCH --partition=gpu']);
    expect(directives(script(trainerConfig().slurm))).toEqual(['#SBATCH --nodes=1', '#SBATCH --gpus-per-node=8', '#SBATCH --partition=gpu']);
    expect(trainerConfig().slurm).toBeUndefined();
  });

  it('can ask for CPUs only, one process per node', () => {
    const s = script(trainerConfig({ nodes: 2, gpusPerNode: 0 }).slurm);
    expect(s).not.toContain('--gpus-per-node');
    expect(s).toContain('BRIGHTRUN_NPROC_PER_NODE=1');
  });

  it('are what the cost multiplies by', () => {
    expect(jobGpus(runJobSettings(host, trainerConfig({ nodes: 4, gpusPerNode: 2 }).slurm))).toBe(8);
    expect(jobGpus(runJobSettings(host, trainerConfig({ nodes: 2, gpusPerNode: 0 }).slurm))).toBe(2);
    expect(jobGpus(runJobSettings(host, undefined))).toBe(8);
  });

  it('are checked in the run config, each problem at its key', () => {
    const bad = validateRunConfig({ datasets: { train: 't.jsonl' }, baseModel: 'org/model', slurm: { nodes: 0, gpus: 2 } });
    expect(bad.ok).toBe(false);
    const paths = bad.ok ? [] : bad.problems.map((p) => JSON.stringify(p));
    expect(paths.join('\n')).toMatch(/slurm.*nodes/);
    expect(paths.join('\n')).toMatch(/gpus/);
  });
});
