// The managed Python environment for runs on this machine, built for real with venv and pip from a "system"
// Python that has none of the trainer's packages (a bare `python3 -m venv` interpreter):
// - the command line trains on the tiny model through an environment it builds itself (torch installed from
//   BRIGHTRUN_TORCH_PIP_ARGS), and a second launch reuses it without rebuilding;
// - with small requirements (fast): concurrent launches build once, a cancelled build leaves a half-built
//   environment that is never taken as ready (nor a lock), the lock of a setup that died is taken over while
//   a live one is waited for, a requirements change builds a new environment,
//   failures say what to do, a Python the user brings is used as it is.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { missingParts } from '../realParts';
import { execFile, execFileSync, spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join, resolve } from 'node:path';
import { ENV_READY_MARKER } from '../../src/core/hosts/environment';
import { findTrainerSourceDir } from '../../src/platform/hostEnvironment';
import { createLocalSession, type LocalSessionOptions } from '../../src/platform/localSession';
import { PROJECT_PYTHON, runConfig, smallDatasets } from './helpers/sshRunFixture';
import { waitFor } from '../unit/runs/helpers/waitFor';

const root = mkdtempSync(join(tmpdir(), 'brightrun-local-env-'));
/** The machine's Python as a new user has it: no torch, transformers or peft. */
const systemBin = join(root, 'system python', 'bin');
const systemPython = join(systemBin, 'python3');

beforeAll(() => {
  execFileSync('python3', ['-m', 'venv', '--without-pip', join(root, 'system python')]);
}, 60_000);
afterAll(() => rmSync(root, { recursive: true, force: true }), 120_000);

const canRun = existsSync(PROJECT_PYTHON) || !!process.env.CI;

/** A copy of the trainer package with its own requirements.txt (small ones install in seconds). */
function trainerWith(requirements: string): string {
  const dir = mkdtempSync(join(root, 'trainer-'));
  cpSync(join(findTrainerSourceDir(), 'brightrun_trainer'), join(dir, 'brightrun_trainer'), {
    recursive: true,
    filter: (src) => !src.includes('__pycache__'),
  });
  writeFileSync(join(dir, 'requirements.txt'), requirements);
  return dir;
}

/** Environment folders that are complete. */
const readyEnvs = (envsDir: string) => (existsSync(envsDir) ? readdirSync(envsDir).filter((name) => existsSync(join(envsDir, name, ENV_READY_MARKER))) : []);

describe.skipIf(missingParts({ 'the project virtualenv (.venv)': canRun }))('the managed environment with small requirements', { timeout: 180_000 }, () => {
  // A small package stands in for torch: the first install step is exercised without the 200 MB wheel.
  const session = (trainerDir: string, envsDir: string, extra: Partial<LocalSessionOptions> = {}) =>
    createLocalSession({ torchPipArgs: ['iniconfig'], basePython: systemPython, workdir: join(root, 'work'), trainerDir, envsDir, ...extra });
  // One environment shared by the next three tests, in order: built, broken, replaced.
  const trainer = trainerWith('six\n');
  const envsDir = join(root, 'envs dir');
  const paths = { train: 'unused', validation: null, baseModel: 'unused' };

  it('is built once when two launches need it at the same time, then reused', async () => {
    const logs: string[][] = [[], []];
    const sessions = [session(trainer, envsDir), session(trainer, envsDir)];
    await Promise.all(sessions.map((s, i) => s.stage(paths, (line) => logs[i].push(line))));
    const creations = logs.flat().filter((line) => line.startsWith('environment: creating the virtualenv'));
    expect(creations).toHaveLength(1);
    expect(logs.flat()).toContain('environment: created');
    expect(readyEnvs(envsDir)).toHaveLength(1);
    const runtimes = await Promise.all(sessions.map((s) => s.runtime()));
    expect(runtimes[0].python).toBe(join(envsDir, readyEnvs(envsDir)[0], 'bin', 'python'));
    expect(runtimes[1].python).toBe(runtimes[0].python);
    // The packages are really there, installed by pip into that environment.
    execFileSync(runtimes[0].python, ['-c', 'import six, iniconfig']);

    const later: string[] = [];
    await session(trainer, envsDir).stage(paths, (line) => later.push(line));
    expect(later.filter((line) => line.startsWith('environment: '))).toEqual([`environment: reused ${join(envsDir, readyEnvs(envsDir)[0])}`]);
  });

  it("a build cancelled mid-install (the editor notification's Cancel) leaves a half-built environment that is never taken as ready", async () => {
    const [envName] = readyEnvs(envsDir);
    const envDir = join(envsDir, envName);
    rmSync(envDir, { recursive: true });
    const abort = new AbortController();
    const cancelling = session(trainer, envsDir, {
      withSetupProgress: (task) =>
        task((line) => {
          if (line.startsWith('environment: installing')) abort.abort();
        }, abort.signal),
    });
    const error = await cancelling.runtime().then(
      () => null,
      (e: Error) => e,
    );
    expect(error?.message).toMatch(/was cancelled; the next local launch starts it again/);
    // What the interrupted setup leaves: the interpreter is there, the marker (written last) and the lock are not.
    expect(existsSync(join(envDir, 'bin', 'python'))).toBe(true);
    expect(existsSync(join(envDir, ENV_READY_MARKER))).toBe(false);
    expect(existsSync(`${envDir}.lock`)).toBe(false);
    // No process of that build is left (pip included): nothing still names its folder.
    const running = execFileSync('ps', ['-eo', 'args'], { encoding: 'utf8' })
      .split('\n')
      .filter((line) => line.includes(envDir));
    expect(running).toEqual([]);

    writeFileSync(join(envDir, 'left over'), '');
    const logs: string[] = [];
    const again = session(trainer, envsDir, { log: (line) => logs.push(line) });
    expect((await again.runtime()).python).toBe(join(envDir, 'bin', 'python'));
    expect(logs).toContain('environment: created');
    expect(existsSync(join(envDir, 'left over'))).toBe(false);
    expect(readyEnvs(envsDir)).toEqual([envName]);
  });

  it('waits for a setup that holds the lock, and takes the lock over once its owner is gone (killed, rebooted)', async () => {
    const [envName] = readyEnvs(envsDir);
    const envDir = join(envsDir, envName);
    rmSync(envDir, { recursive: true });
    // A lock as a setup leaves it, owned by a process that is still running.
    const owner = spawn('sleep', ['600'], { stdio: 'ignore' });
    mkdirSync(`${envDir}.lock`);
    writeFileSync(join(`${envDir}.lock`, 'owner'), `${execFileSync('uname', ['-n'], { encoding: 'utf8' }).trim()} ${owner.pid}\n`);
    const logs: string[] = [];
    const waiting = session(trainer, envsDir, { log: (line) => logs.push(line) }).runtime();
    await waitFor(() => logs.includes(`environment: waiting for another setup of ${envDir} to finish`), 'the setup to wait for the lock', 60_000);
    expect(logs.some((line) => line.startsWith('environment: creating'))).toBe(false);
    owner.kill('SIGKILL'); // its lock stays behind, as after a crash
    await waiting;
    expect(logs).toContain(`environment: taking over the lock of a setup that is no longer running (pid ${owner.pid})`);
    expect(logs).toContain('environment: created');
    expect(readyEnvs(envsDir)).toEqual([envName]);
    expect(existsSync(`${envDir}.lock`)).toBe(false);
  });

  it('gets a new environment when the requirements change, leaving the old one', async () => {
    const before = (await session(trainer, envsDir).runtime()).python;
    writeFileSync(join(trainer, 'requirements.txt'), 'six\ntomli\n');
    const after = (await session(trainer, envsDir).runtime()).python;
    expect(after).not.toBe(before);
    expect(readyEnvs(envsDir)).toHaveLength(2);
    execFileSync(after, ['-c', 'import tomli']);
    expect(() => execFileSync(before, ['-c', 'import tomli'], { stdio: 'pipe' })).toThrow();
  });

  it('says what failed and how to bring your own Python when pip cannot install the requirements', async () => {
    const failing = trainerWith('brightrun-no-such-package-anywhere==1.0\n');
    const failingEnvs = join(root, 'envs failing');
    const error = await session(failing, failingEnvs)
      .runtime()
      .then(
        () => null,
        (e: Error) => e,
      );
    expect(error?.message).toMatch(/Installing the trainer's requirements on this machine failed \(pip\)/);
    expect(error?.message).toContain('brightrun-no-such-package-anywhere');
    expect(error?.message).toContain('brightrun.pythonPath');
    expect(error?.message).toContain('BRIGHTRUN_PYTHON');
    expect(readyEnvs(failingEnvs)).toEqual([]);
  });

  it('says so before building when the system Python is missing', async () => {
    const unbuilt = join(root, 'envs no python');
    const error = await session(trainer, unbuilt, { basePython: join(root, 'no such python') })
      .runtime()
      .then(
        () => null,
        (e: Error) => e,
      );
    expect(error?.message).toMatch(/cannot set up the Python environment[\s\S]*was not found/);
    expect(error?.message).toContain('brightrun.pythonPath');
    expect(existsSync(unbuilt)).toBe(false);
  });

  it('uses a Python the user brings as it is, with no environment built', async () => {
    const unused = join(root, 'envs unused');
    const own = createLocalSession({ workdir: join(root, 'work'), trainerDir: findTrainerSourceDir(), envsDir: unused, python: systemPython });
    expect((await own.runtime()).python).toBe(systemPython);
    const report = await own.preflight();
    // Checked as it is: the missing packages are errors, not "will be installed".
    expect(report.ok).toBe(false);
    expect(report.problems[0].message).toMatch(/PyTorch.*not installed/);
    expect(existsSync(unused)).toBe(false);

    // The editor's setting is read at each launch: a changed brightrun.pythonPath applies without a restart.
    let setting = systemPython;
    const following = createLocalSession({ workdir: join(root, 'work'), trainerDir: findTrainerSourceDir(), envsDir: unused, python: () => setting });
    expect((await following.runtime()).python).toBe(systemPython);
    setting = PROJECT_PYTHON;
    expect((await following.runtime()).python).toBe(PROJECT_PYTHON);
  });
});

describe.skipIf(missingParts({ 'the project virtualenv (.venv)': canRun }))(
  'brightrun train on a machine whose Python lacks torch',
  { timeout: 900_000 },
  () => {
    const home = join(root, 'brightrun home');
    // The torch the project develops with (scripts/setup-python.sh), so pip finds it where setup found it.
    const torchVersion = () => execFileSync(PROJECT_PYTHON, ['-c', 'import torch; print(torch.__version__.split("+")[0])'], { encoding: 'utf8' }).trim();

    function brightrun(...args: string[]): Promise<{ code: number; out: string }> {
      const env: NodeJS.ProcessEnv = {
        ...process.env,
        PATH: `${systemBin}${delimiter}${process.env.PATH}`,
        BRIGHTRUN_HOME: home,
        BRIGHTRUN_TORCH_PIP_ARGS: process.env.BRIGHTRUN_TORCH_PIP_ARGS || `torch==${torchVersion()}`,
      };
      delete env.BRIGHTRUN_PYTHON;
      return new Promise((done) => {
        execFile(
          process.execPath,
          [resolve('node_modules/tsx/dist/cli.mjs'), resolve('src/cli/main.ts'), ...args],
          { env, timeout: 600_000, maxBuffer: 16 << 20 },
          (error, stdout, stderr) => done({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, out: `${stdout}${stderr}` }),
        );
      });
    }

    it('builds the environment once under $BRIGHTRUN_HOME/envs, trains on the tiny model, and reuses it next time', async () => {
      const check = execFileSync('sh', ['-c', 'command -v python3; python3 -c "import torch" 2>&1 || true'], {
        env: { ...process.env, PATH: `${systemBin}${delimiter}${process.env.PATH}` },
        encoding: 'utf8',
      });
      expect(check).toContain(systemPython);
      expect(check).toMatch(/No module named 'torch'/);

      const { configFile } = runConfig(smallDatasets('managed env'), {
        host: 'local',
        hyperparameters: { maxSteps: 4, batchSize: 2, gradAccum: 1, learningRate: 0.001 },
      });
      const first = await brightrun('train', configFile, '--follow');
      expect(first.out).toContain('environment: creating the virtualenv');
      expect(first.out).toMatch(/environment: installing torch==/);
      expect(first.out).toContain('environment: created');
      expect(first.code, first.out).toBe(0);
      expect(first.out).toMatch(/completed/i);
      const envs = readyEnvs(join(home, 'envs'));
      expect(envs).toHaveLength(1);
      const marker = join(home, 'envs', envs[0], ENV_READY_MARKER);
      const builtAt = statSync(marker).mtimeMs;
      const envPython = join(home, 'envs', envs[0], 'bin', 'python');
      expect(execFileSync(envPython, ['-c', 'import torch, transformers, peft; print(torch.__version__)'], { encoding: 'utf8' })).toContain(torchVersion());

      const second = await brightrun('train', configFile, '--follow');
      expect(second.code, second.out).toBe(0);
      expect(second.out).toContain(`environment: reused ${join(home, 'envs', envs[0])}`);
      expect(second.out).not.toContain('environment: creating');
      expect(readyEnvs(join(home, 'envs'))).toEqual(envs);
      expect(statSync(marker).mtimeMs).toBe(builtAt);
    });
  },
);
