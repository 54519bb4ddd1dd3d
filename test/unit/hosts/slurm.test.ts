// The Slurm host's pure parts: settings, the sbatch script and commands, and reading scontrol/squeue output.
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { HostSettings, parseHostsList, SlurmSettings } from '../../../src/core/hosts/hostSettings';
import { parseSbatchOutput, sbatchCommand, scancelCommand, slurmJobSettings, slurmScript } from '../../../src/core/hosts/slurmScript';
import { queueText } from '../../../src/vscode/runs/runText';
import { endedReason, jobQueryCommand, parseJobQuery, parseScontrolJob } from '../../../src/core/hosts/slurmJobs';

const settings = (extra: Record<string, unknown> = {}) => slurmJobSettings(SlurmSettings.parse({ nodes: 2, gpusPerNode: 4, ...extra }));
const SEP = '--brightrun--';

describe('slurm host settings', () => {
  it('reads the example from the README', () => {
    const [h] = parseHostsList(
      [
        {
          name: 'cluster',
          kind: 'slurm',
          host: 'login.example.org',
          user: 'ml',
          partition: 'gpu',
          nodes: 2,
          gpusPerNode: 4,
          timeLimit: '04:00:00',
          workdir: '/shared/brightrun',
        },
      ],
      'hosts.json',
    );
    expect(slurmJobSettings(h!)).toMatchObject({
      kind: 'slurm',
      partition: 'gpu',
      nodes: 2,
      gpusPerNode: 4,
      timeLimit: '04:00:00',
      signalSeconds: 300,
      sbatchArgs: [],
    });
  });

  it('refuses values that would not be one sbatch word, saying which field', () => {
    expect(() => parseHostsList([{ name: 'c', kind: 'slurm', host: 'h', partition: 'gpu; rm -rf ~' }], 'hosts.json')).toThrow(/partition/);
    expect(() => parseHostsList([{ name: 'c', kind: 'slurm', host: 'h', timeLimit: 'four hours' }], 'hosts.json')).toThrow(/timeLimit.*time format/s);
    expect(() => parseHostsList([{ name: 'c', kind: 'slurm', host: 'h', sbatchArgs: ['exclusive'] }], 'hosts.json')).toThrow(/sbatchArgs/);
    expect(() => parseHostsList([{ name: 'c', kind: 'slurm' }], 'hosts.json')).toThrow(/host/);
  });

  it('keeps an ssh host as it was', () => {
    expect(HostSettings.parse({ name: 'box', host: 'h' }).kind).toBe('ssh');
  });
});

describe('the sbatch script', () => {
  const script = slurmScript({
    runId: '20260101-000000-abcdef',
    runDir: "/shared/runs/it's here",
    argv: ['/shared/env/bin/python', '-m', 'brightrun_trainer', 'train', '--run-dir', "/shared/runs/it's here"],
    env: { PYTHONPATH: '/shared/trainer $(x)' },
    settings: settings({
      partition: 'gpu',
      account: 'ml',
      qos: 'high',
      timeLimit: '04:00:00',
      cpusPerTask: 8,
      memory: '64G',
      constraint: 'a100&ib',
      sbatchArgs: ['--exclusive'],
    }),
  });

  it('asks for the resources, a warning signal before the end, and requeue', () => {
    const directives = script.split('\n').filter((l) => l.startsWith('#SBATCH'));
    expect(directives).toEqual([
      '#SBATCH --nodes=2',
      '#SBATCH --ntasks-per-node=1',
      '#SBATCH --gpus-per-node=4',
      '#SBATCH --cpus-per-task=8',
      '#SBATCH --mem=64G',
      '#SBATCH --partition=gpu',
      '#SBATCH --account=ml',
      '#SBATCH --qos=high',
      '#SBATCH --time=04:00:00',
      '#SBATCH --signal=B:USR1@300',
      '#SBATCH --requeue',
      "#SBATCH --constraint='a100&ib'",
      '#SBATCH --exclusive',
    ]);
  });

  it('is a valid bash script that quotes every path and resumes when requeued', () => {
    expect(spawnSync('bash', ['-n'], { input: script }).status).toBe(0);
    expect(script).toContain("run_dir='/shared/runs/it'\\''s here'");
    expect(script).toContain("export PYTHONPATH='/shared/trainer $(x)'");
    expect(script).toContain('BRIGHTRUN_NPROC_PER_NODE=4');
    expect(script).toMatch(/SLURM_RESTART_COUNT.*resume=--resume/);
    expect(script).toMatch(/srun .*brightrun_trainer train --run-dir '\/shared\/runs\/it'\\''s here' \$\{resume:\+"\$resume"\} &/);
    expect(script).toMatch(/scontrol requeue "\$SLURM_JOB_ID"/);
  });

  it('resumes from the start when the launcher asked for it, and runs one CPU process per node without GPUs', () => {
    const s = slurmScript({ runId: 'r', runDir: '/r', argv: ['python', 'train', '--resume'], settings: settings({ gpusPerNode: 0 }) });
    expect(s).toContain('resume=--resume\n');
    expect(s).not.toContain('--gpus-per-node');
    expect(s).toContain('BRIGHTRUN_NPROC_PER_NODE=1');
  });

  it('submits with the paths on the command line, a literal % escaped for sbatch', () => {
    const cmd = sbatchCommand({ runId: 'r1', runDir: '/w/100% done', scriptPath: '/w/100% done/job.sbatch', logFile: '/w/100% done/trainer.log' });
    expect(cmd).toBe(
      "sbatch --parsable '--job-name=brightrun-r1' '--chdir=/w/100% done' '--output=/w/100%% done/trainer.log' '--open-mode=append' '/w/100% done/job.sbatch'",
    );
  });

  it('reads the job id sbatch prints, with or without a cluster name', () => {
    expect(parseSbatchOutput('1234\n')).toBe(1234);
    expect(parseSbatchOutput('77;big\n')).toBe(77);
    expect(() => parseSbatchOutput('sbatch: error: Batch job submission failed')).toThrow(/job id/);
  });

  it('cancels through the batch shell (checkpoint first) and kills outright only when asked', () => {
    expect(scancelCommand(12, 'cancel')).toBe('scancel --batch --signal=TERM 12');
    expect(scancelCommand(12, 'kill')).toBe('scancel 12');
    expect(() => scancelCommand(0, 'kill')).toThrow(/job id/);
  });
});

const record = (fields: string) => `JobId=42 JobName=brightrun-x UserId=ml(1000) ${fields} WorkDir=/shared/runs/a b Command=(null)\n`;

describe('reading Slurm about a job', () => {
  it('parses one-line scontrol records', () => {
    expect(parseScontrolJob('JobId=42 JobState=PENDING Reason=Resources Dependency=(null) StartTime=Unknown')).toMatchObject({
      JobId: '42',
      JobState: 'PENDING',
      Reason: 'Resources',
      StartTime: 'Unknown',
    });
  });

  it('a pending job: its reason, its place among the pending jobs and the expected start', () => {
    const out = [record('JobState=PENDING Reason=Priority StartTime=Unknown'), SEP, '40\n42\n43\n', SEP, '2026-12-03T04:00:00\n'].join('\n');
    const view = parseJobQuery(42, out);
    expect(view).toEqual({ phase: 'queued', jobId: 42, state: 'PENDING', queue: { reason: 'Priority', position: 2, expected_start: '2026-12-03T04:00:00' } });
  });

  it('a pending job Slurm has not looked at yet, with no expected start', () => {
    const view = parseJobQuery(42, [record('JobState=PENDING Reason=None StartTime=Unknown'), SEP, '', SEP, 'N/A'].join('\n'));
    expect(view).toMatchObject({ phase: 'queued', queue: { reason: 'waiting for the scheduler', position: null, expected_start: null } });
  });

  it('running, requeued and finishing jobs are alive', () => {
    expect(parseJobQuery(42, record('JobState=RUNNING Reason=None')).phase).toBe('running');
    expect(parseJobQuery(42, record('JobState=COMPLETING Reason=None')).phase).toBe('running');
    expect(parseJobQuery(42, record('JobState=REQUEUED Reason=BeginTime')).phase).toBe('queued');
  });

  it("ended jobs carry Slurm's reason in words a user can act on", () => {
    expect(parseJobQuery(42, record('JobState=TIMEOUT Reason=TimeLimit TimeLimit=04:00:00'))).toMatchObject({
      phase: 'ended',
      ok: false,
      reason: expect.stringMatching(/time limit \(04:00:00\)/),
    });
    expect(parseJobQuery(42, record('JobState=OUT_OF_MEMORY Reason=OutOfMemory'))).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/ran out of memory.*"memory"/),
    });
    expect(parseJobQuery(42, record('JobState=NODE_FAIL Reason=NodeDown'))).toMatchObject({ ok: false, reason: expect.stringMatching(/node .* failed/) });
    expect(parseJobQuery(42, record('JobState=COMPLETED Reason=None ExitCode=0:0'))).toMatchObject({ phase: 'ended', ok: true });
    expect(endedReason(42, 'FAILED', { ExitCode: '1:0', Reason: 'NonZeroExitCode' })).toBe('Slurm job 42 ended FAILED (exit code 1:0): NonZeroExitCode');
  });

  it('a job the controller no longer knows', () => {
    expect(parseJobQuery(42, `slurm_load_jobs error: Invalid job id specified\n${SEP}\n\n${SEP}\n`)).toEqual({ phase: 'unknown', jobId: 42 });
  });

  it('asks with one command and refuses a job id that is not a number', () => {
    expect(jobQueryCommand(42)).toMatch(/^scontrol show job -o 42 .*squeue -h -t PENDING .*squeue --start -h -j 42 /);
    expect(() => jobQueryCommand(-1)).toThrow(/job id/);
  });
});

describe('a queued run in the Runs view', () => {
  it('says where it waits, and nothing once it runs', () => {
    const queue = { reason: 'Resources', position: 2, expected_start: '2026-12-03T04:00:00' };
    expect(queueText({ host: 'cluster', queue })).toBe('queued on cluster: Resources, position 2, expected start 2026-12-03T04:00:00');
    expect(queueText({ host: 'cluster', queue: { reason: 'Priority', position: null, expected_start: null } })).toBe('queued on cluster: Priority');
    expect(queueText({ host: 'cluster', queue: null })).toBeNull();
  });
});
