// A real Slurm cluster for tests, on this machine: Debian's munged, slurmctld and two slurmd daemons (nodes n1
// and n2 on their own ports, each `slurmd -N NAME`), all in the foreground as children of the test process, with
// their configuration, key, state and spool in a temporary folder. No cgroups (proctrack/linuxproc, task/none)
// and no accounting database: state is read from squeue/scontrol, so MinJobAge keeps finished jobs listed.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './sshd';

export const SLURM_BINARIES = ['/usr/sbin/munged', '/usr/sbin/slurmctld', '/usr/sbin/slurmd', '/usr/bin/sbatch'];
export const slurmAvailable = SLURM_BINARIES.every(existsSync) && process.getuid?.() === 0;
export const SLURM_INSTALL = 'apt-get install -y slurmctld slurmd munge slurm-client (as root), or bash scripts/setup.sh --system';

export interface TestSlurm {
  dir: string;
  /** Path to slurm.conf: SLURM_CONF for every client command (the sshd sets it for its sessions). */
  conf: string;
  /** Runs a Slurm client command here (the test's own view, like an admin on the login node). */
  cli(argv: string[]): string;
  stop(): Promise<void>;
}

function waitFor(check: () => boolean, what: string, log: () => string, ms = 30_000): Promise<void> {
  const end = Date.now() + ms;
  return new Promise((resolve, reject) => {
    const tick = () => {
      if (check()) return resolve();
      if (Date.now() > end) return reject(new Error(`Slurm test cluster: timed out waiting for ${what}\n${log()}`));
      setTimeout(tick, 200);
    };
    tick();
  });
}

export async function startSlurm(): Promise<TestSlurm> {
  const dir = mkdtempSync(join(tmpdir(), 'brightrun-slurm-'));
  for (const sub of ['state', 'spool/n1', 'spool/n2', 'log', 'munge']) mkdirSync(join(dir, sub), { recursive: true, mode: 0o700 });
  const key = join(dir, 'munge', 'munge.key');
  writeFileSync(key, randomBytes(1024));
  chmodSync(key, 0o400);
  const socket = join(dir, 'munge', 'munge.socket');
  const [ctldPort, n1Port, n2Port] = [await freePort(), await freePort(), await freePort()];
  const conf = join(dir, 'slurm.conf');
  writeFileSync(
    conf,
    [
      'ClusterName=brightrun-test',
      'SlurmctldHost=localhost',
      `SlurmctldPort=${ctldPort}`,
      'AuthType=auth/munge',
      'CredType=cred/munge',
      // cred_expire is also how long a requeued job waits before it may start again (default 120 s).
      `AuthInfo=socket=${socket},cred_expire=5`,
      'SlurmUser=root',
      'SlurmdUser=root',
      `StateSaveLocation=${join(dir, 'state')}`,
      `SlurmdSpoolDir=${join(dir, 'spool', '%n')}`,
      `SlurmctldPidFile=${join(dir, 'slurmctld.pid')}`,
      `SlurmdPidFile=${join(dir, 'slurmd-%n.pid')}`,
      `SlurmctldLogFile=${join(dir, 'log', 'slurmctld.log')}`,
      `SlurmdLogFile=${join(dir, 'log', 'slurmd-%n.log')}`,
      'ProctrackType=proctrack/linuxproc',
      'TaskPlugin=task/none',
      'SelectType=select/cons_tres',
      'SelectTypeParameters=CR_CPU',
      'SchedulerType=sched/builtin',
      'SchedulerParameters=sched_interval=1',
      'MpiDefault=none',
      'ReturnToService=2',
      // No slurmdbd here: finished jobs stay visible to scontrol for an hour.
      'MinJobAge=3600',
      // Time for the trainer to checkpoint between Slurm's SIGTERM and its SIGKILL.
      'KillWait=30',
      'JobAcctGatherType=jobacct_gather/none',
      'AccountingStorageType=accounting_storage/none',
      `NodeName=n1 NodeHostname=localhost NodeAddr=127.0.0.1 Port=${n1Port} CPUs=1 RealMemory=2000 State=UNKNOWN`,
      `NodeName=n2 NodeHostname=localhost NodeAddr=127.0.0.1 Port=${n2Port} CPUs=1 RealMemory=2000 State=UNKNOWN`,
      'PartitionName=debug Nodes=n1,n2 Default=YES MaxTime=INFINITE State=UP',
    ].join('\n') + '\n',
  );
  const env = { ...process.env, SLURM_CONF: conf };
  const children: ChildProcess[] = [];
  const start = (program: string, args: string[]) => {
    const child = spawn(program, args, { env, stdio: 'ignore' });
    children.push(child);
    return child;
  };
  const logs = () =>
    ['slurmctld.log', 'slurmd-n1.log', 'slurmd-n2.log']
      .map((f) => join(dir, 'log', f))
      .filter(existsSync)
      .map((f) => `--- ${f}\n${readFileSync(f, 'utf8').split('\n').slice(-15).join('\n')}`)
      .join('\n');
  const cli = (argv: string[]) => {
    const r = spawnSync(argv[0]!, argv.slice(1), { env, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`${argv.join(' ')} failed (${r.status}): ${r.stderr}`);
    return r.stdout;
  };

  start('/usr/sbin/munged', [
    '-F',
    `--key-file=${key}`,
    `--socket=${socket}`,
    `--pid-file=${join(dir, 'munge', 'munged.pid')}`,
    `--log-file=${join(dir, 'munge', 'munged.log')}`,
    `--seed-file=${join(dir, 'munge', 'seed')}`,
    '--force',
  ]);
  await waitFor(() => existsSync(socket), 'munged', logs);
  start('/usr/sbin/slurmctld', ['-D', '-i', '-f', conf]);
  start('/usr/sbin/slurmd', ['-D', '-N', 'n1', '-f', conf]);
  start('/usr/sbin/slurmd', ['-D', '-N', 'n2', '-f', conf]);
  await waitFor(
    () => {
      const r = spawnSync('sinfo', ['-h', '-o', '%D %t'], { env, encoding: 'utf8' });
      return r.status === 0 && /^2 idle$/m.test(r.stdout);
    },
    'both nodes idle',
    logs,
  );

  return {
    dir,
    conf,
    cli,
    stop: async () => {
      // Jobs first, while slurmd is there to end their steps (slurmstepd outlives a stopped slurmd).
      spawnSync('scancel', ['--full', '-s', 'KILL', '--user', 'root'], { env });
      await waitFor(
        () => spawnSync('squeue', ['-h', '-t', 'RUNNING,COMPLETING,PENDING'], { env, encoding: 'utf8' }).stdout.trim() === '',
        'jobs to end',
        logs,
        20_000,
      ).catch(() => {});
      for (const child of children.reverse()) {
        if (child.exitCode !== null) continue;
        await new Promise<void>((resolve) => {
          const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
          child.once('exit', () => (clearTimeout(timer), resolve()));
          child.kill('SIGTERM');
        });
      }
    },
  };
}
