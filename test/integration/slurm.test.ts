// Training on a real Slurm cluster (munged, slurmctld and two slurmd nodes on this machine) reached through the
// loopback sshd as its login node: a two-node CPU DDP job (gloo, one process per node) with the real trainer on
// the tiny model. Submit, wait in the queue behind another job, finish with every event once, cancel with a
// checkpoint then resume, Slurm's warning before the time limit (requeue, resume in the same job), and a job
// killed by Slurm reported with Slurm's reason.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { missingParts } from '../realParts';
import { knownHostsEntry, sshdAvailable, startSshd, type TestSshd } from './helpers/sshd';
import { SLURM_INSTALL, slurmAvailable, startSlurm, type TestSlurm } from './helpers/slurm';
import { queueText } from '../../src/vscode/runs/runText';
import { HOST, hostSettings, mirrorSeqs, openRegistry, PROJECT_PYTHON, range, runConfig, smallDatasets } from './helpers/sshRunFixture';
import type { RunInfo } from '../../src/core/runs';
import type { RunStatus } from '../../src/contracts/status';

let slurm: TestSlurm;
let sshd: TestSshd;
let workdir: string;
/** One editor for the whole file, as a user has: the preflight and the trainer's copy happen once. */
let opened: Awaited<ReturnType<typeof openRegistry>>;

const waitUntil = async (check: () => boolean, what: string, ms = 120_000) => {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
};

const cluster = () => hostSettings(sshd, workdir, { kind: 'slurm', nodes: 2, gpusPerNode: 0, signalSeconds: 60 });
const hostStatus = (runDir: string): RunStatus => JSON.parse(readFileSync(join(runDir, 'status.json'), 'utf8')) as RunStatus;
const jobIdOf = (runDir: string): number =>
  (JSON.parse(readFileSync(join(runDir, 'launch.json'), 'utf8')) as { attempts: { pid: number }[] }).attempts.at(-1)!.pid;
const hostEvents = (runDir: string) =>
  readFileSync(join(runDir, 'events.jsonl'), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as { seq: number; type: string; step?: number; message?: string; resumed_from_step?: number; device?: string });

/** A short run without the end-of-training evaluation (its prompts are slow on a CPU). */
function config(name: string, maxSteps: number) {
  return runConfig(smallDatasets(name), { evaluate: false, hyperparameters: { maxSteps, batchSize: 2, gradAccum: 1, learningRate: 0.001 } });
}

function track(id: string) {
  const seen: { latest?: RunInfo; dispose(): void } = { dispose: () => listener.dispose() };
  const listener = opened.registry.onDidChange((c) => c.run.id === id && (seen.latest = c.run));
  return seen;
}

const PARTS = {
  sshd: sshdAvailable,
  'the project virtualenv (.venv)': existsSync(PROJECT_PYTHON),
  'Slurm (slurmctld, slurmd, munge, as root)': slurmAvailable,
};

describe.skipIf(missingParts(PARTS, SLURM_INSTALL))('training on a Slurm cluster', { timeout: 180_000 }, () => {
  beforeAll(async () => {
    slurm = await startSlurm();
    sshd = await startSshd([`SetEnv SLURM_CONF=${slurm.conf}`]);
    writeFileSync(sshd.knownHosts, knownHostsEntry(sshd));
    // The shared filesystem of the cluster: both nodes are this machine.
    workdir = join(mkdtempSync(join(tmpdir(), 'brightrun-slurm-run-')), "shared work 'dir'");
    opened = await openRegistry(sshd, cluster(), mkdtempSync(join(tmpdir(), 'brightrun-storage-')));
  }, 60_000);
  afterAll(async () => {
    opened?.registry.dispose();
    opened?.hosts.dispose();
    await sshd?.stop();
    await slurm?.stop();
  });

  it('waits in the queue behind another job, then trains on two nodes to completion with every event once', async () => {
    const blocker = Number(
      slurm.cli(['sbatch', '--parsable', '--nodes=1', '--job-name=other-team', `--output=${join(slurm.dir, 'blocker.out')}`, '--wrap', 'sleep 300']).trim(),
    );
    const { config, configFile } = runConfig(smallDatasets('queued'), { evaluate: false });
    const { registry } = opened;
    const progress: string[] = [];
    const launched = await registry.launch({ config, configFile, onProgress: (m) => progress.push(m) });

    // The script is kept in the run folder, and asks for both nodes with a warning before the time limit.
    const script = readFileSync(join(launched.runDir, 'job.sbatch'), 'utf8');
    expect(script).toContain('#SBATCH --nodes=2');
    expect(script).toContain('#SBATCH --signal=B:USR1@60');
    expect(script).toContain('#SBATCH --requeue');

    // One node is taken: the job waits, and status.json says why and where it stands.
    await waitUntil(() => hostStatus(launched.runDir).queue?.reason === 'Resources', 'the queue to show in status.json', 30_000);
    const queued = hostStatus(launched.runDir);
    expect(queued.state).toBe('starting');
    expect(queued.queue).toMatchObject({ reason: 'Resources', position: 1 });
    // The Runs view and the monitor show it from the run's info, which the follower keeps up to date.
    await waitUntil(() => registry.get(launched.id)?.queue?.reason === 'Resources', 'the queue in the run info', 30_000);
    expect(registry.get(launched.id)?.state).toBe('starting');
    expect(queueText(registry.get(launched.id)!)).toMatch(new RegExp(`^queued on ${HOST}: Resources, position 1(, expected start \\S+)?$`));

    slurm.cli(['scancel', String(blocker)]);
    const done = await registry.waitForEnd(launched.id);
    expect(done.state).toBe('completed');
    expect(done.step).toBe(8);
    expect(hostStatus(launched.runDir).queue ?? null).toBeNull();
    expect(registry.get(launched.id)?.queue ?? null).toBeNull();
    const seqs = mirrorSeqs(done.mirrorDir);
    expect(seqs).toEqual(range(seqs.length));
    expect(seqs.length).toBe(hostEvents(launched.runDir).length);
    // Two processes, one per node, in one process group (gloo over the loopback).
    expect(hostEvents(launched.runDir).find((e) => e.type === 'plan')?.device).toBe('cpu x2');
    expect(existsSync(join(launched.runDir, 'adapter', 'adapter_model.safetensors'))).toBe(true);
    expect(progress.some((m) => /preflight/.test(m))).toBe(true);
    // Cost counts every node: 2 nodes x 1 process (no GPUs here).
    expect(done.gpus).toBe(2);
  });

  it('cancels through scancel with a checkpoint first, then resumes in a new job that continues the run', async () => {
    const { config: run, configFile } = config('cancel', 400);
    const { registry } = opened;
    const launched = await registry.launch({ config: run, configFile });
    const seen = track(launched.id);
    await waitUntil(() => (seen.latest?.step ?? 0) >= 2, 'the first steps');
    const firstJob = jobIdOf(launched.runDir);
    expect(await registry.cancel(launched.id)).toBe('stopped');
    const cancelled = await registry.waitForEnd(launched.id);
    expect(cancelled.state).toBe('cancelled');
    const stoppedAt = cancelled.step;
    expect(readdirSync(join(launched.runDir, 'checkpoints'))).toContain(`checkpoint-${stoppedAt}`);
    expect(readFileSync(join(launched.runDir, 'trainer.log'), 'utf8')).toContain('brightrun: SIGTERM');

    await registry.resume(launched.id);
    expect(jobIdOf(launched.runDir)).not.toBe(firstJob);
    const resumedSeen = track(launched.id);
    await waitUntil(() => (resumedSeen.latest?.step ?? 0) >= stoppedAt + 2, 'steps after the resume');
    await registry.cancel(launched.id);
    const end = await registry.waitForEnd(launched.id);
    expect(end.state).toBe('cancelled');
    const events = hostEvents(launched.runDir);
    expect(events.find((e) => e.type === 'plan' && e.resumed_from_step !== undefined)?.resumed_from_step).toBe(stoppedAt);
    const seqs = mirrorSeqs(end.mirrorDir);
    expect(seqs).toEqual(range(seqs.length));
  });

  it("checkpoints on Slurm's warning before the time limit, is requeued and continues with steps and seq unbroken", async () => {
    const { config: run, configFile } = config('requeue', 24);
    const { registry } = opened;
    const launched = await registry.launch({ config: run, configFile });
    const seen = track(launched.id);
    await waitUntil(() => (seen.latest?.step ?? 0) >= 3, 'the first steps');
    const job = jobIdOf(launched.runDir);
    // What Slurm sends at `--signal=B:USR1@N` before the time limit, or before preempting a requeueable job.
    slurm.cli(['scancel', '--batch', '--signal=USR1', String(job)]);
    const done = await registry.waitForEnd(launched.id);
    expect(done.state).toBe('completed');
    expect(done.step).toBe(24);
    expect(jobIdOf(launched.runDir)).toBe(job); // the same job, requeued
    expect(slurm.cli(['scontrol', 'show', 'job', '-o', String(job)])).toMatch(/Restarts=1/);
    const events = hostEvents(launched.runDir);
    const stop = events.find((e) => e.type === 'log' && /for the scheduler/.test(e.message ?? ''));
    expect(stop).toBeDefined();
    const stoppedAt = Number(/step (\d+)/.exec(stop!.message!)![1]);
    expect(events.find((e) => e.type === 'plan' && e.resumed_from_step !== undefined)?.resumed_from_step).toBe(stoppedAt);
    const steps = events.filter((e) => e.type === 'metrics').map((e) => e.step!);
    expect(steps).toEqual(range(24));
    expect(events.filter((e) => e.type === 'done')).toHaveLength(1);
    const seqs = mirrorSeqs(done.mirrorDir);
    expect(seqs).toEqual(range(seqs.length));
    expect(seqs.length).toBe(events.length);
  });

  it('reports a job that Slurm killed as failed, with Slurm’s reason', async () => {
    const { config: run, configFile } = config('killed', 400);
    const { registry } = opened;
    const launched = await registry.launch({ config: run, configFile });
    const seen = track(launched.id);
    await waitUntil(() => (seen.latest?.step ?? 0) >= 1, 'training to start');
    // An administrator cancels the job: Slurm sends SIGTERM to every process, then SIGKILL after KillWait.
    slurm.cli(['scancel', String(jobIdOf(launched.runDir))]);
    const done = await registry.waitForEnd(launched.id);
    expect(done.state).toBe('failed');
    expect(done.exitReason).toMatch(/Slurm job \d+ was cancelled in Slurm/);
    expect(hostStatus(launched.runDir).exit_reason).toBe(done.exitReason);
    // The trainer used Slurm's grace period (KillWait) to save a checkpoint to resume from.
    expect(readdirSync(join(launched.runDir, 'checkpoints')).length).toBeGreaterThan(0);
    expect(hostEvents(launched.runDir).some((e) => e.type === 'done')).toBe(false);
  });

  it('trains from the command line: brightrun train CONFIG --host cluster --follow', async () => {
    const home = mkdtempSync(join(tmpdir(), 'brightrun-cli-home-'));
    mkdirSync(join(home, '.ssh'), { recursive: true });
    mkdirSync(join(home, '.brightrun'), { recursive: true });
    writeFileSync(join(home, '.ssh', 'config'), readFileSync(sshd.sshConfig));
    writeFileSync(join(home, '.ssh', 'known_hosts'), knownHostsEntry(sshd));
    const cluster = { name: 'cluster', kind: 'slurm', sshAlias: sshd.alias, workdir, python: PROJECT_PYTHON, manageEnv: false, nodes: 2, gpusPerNode: 0 };
    writeFileSync(join(home, '.brightrun', 'hosts.json'), JSON.stringify({ hosts: [cluster] }));
    const { configFile } = config('cli', 4);
    const cli = spawn(
      process.execPath,
      [resolve('node_modules/tsx/dist/cli.mjs'), resolve('src/cli/main.ts'), 'train', configFile, '--host', 'cluster', '--follow'],
      {
        env: { ...process.env, HOME: home, BRIGHTRUN_HOME: join(home, '.brightrun'), SSH_AUTH_SOCK: '' },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let out = '';
    cli.stdout.on('data', (d: Buffer) => (out += d.toString()));
    cli.stderr.on('data', (d: Buffer) => (out += d.toString()));
    const code = await new Promise<number | null>((done) => cli.on('exit', done));
    expect(code, out).toBe(0);
    expect(out).toMatch(/completed/);
    const latest = readdirSync(join(workdir, 'runs')).sort().at(-1)!; // run ids start with their time
    expect(readFileSync(join(workdir, 'runs', latest, 'job.sbatch'), 'utf8')).toContain('#SBATCH --nodes=2');
    expect(hostEvents(join(workdir, 'runs', latest)).filter((e) => e.type === 'done')).toHaveLength(1);
  });
});
