// Preflight and hostile hosts over a real sshd: a host that is fine (CPU only here), a Python that does not
// exist, a Python without torch, and a full disk. Each ends with a clear message, before any dataset upload.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { missingParts } from '../realParts';
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { knownHostsEntry, sshdAvailable, startSshd, type TestSshd } from './helpers/sshd';
import { hostSettings, PROJECT_PYTHON, runConfig, smallDatasets, sshOptions, tinyModelDir, openRegistry } from './helpers/sshRunFixture';
import { createSshSession } from '../../src/platform/sshSession';

let sshd: TestSshd;

beforeAll(async () => {
  sshd = await startSshd();
  writeFileSync(sshd.knownHosts, knownHostsEntry(sshd));
});
afterAll(async () => {
  await sshd?.stop();
});

const workdir = () => mkdtempSync(join(tmpdir(), 'brightrun-preflight-'));

/** The interpreter the project's virtualenv was made from: same Python, but without torch. */
function pythonWithoutTorch(): string | null {
  const base = execFileSync(PROJECT_PYTHON, ['-c', 'import sys; print(sys.base_prefix)'], { encoding: 'utf8' }).trim();
  const python = join(base, 'bin', 'python3');
  try {
    execFileSync(python, ['-c', 'import torch'], { stdio: 'ignore' });
    return null;
  } catch {
    return existsSync(python) ? python : null;
  }
}

/** A 1 MiB tmpfs, when this machine lets us mount one (root in a privileged container does). */
function tinyDisk(): string | null {
  const dir = mkdtempSync(join(tmpdir(), 'brightrun-full-'));
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', dir], { stdio: 'ignore' });
    return dir;
  } catch {
    return null;
  }
}

describe.skipIf(missingParts({ sshd: sshdAvailable, 'the project virtualenv (.venv)': existsSync(PROJECT_PYTHON) }))(
  'preflight and hostile hosts over SSH',
  { timeout: 120_000 },
  () => {
    it('reports the host: Python, torch, disk, and that there is no GPU here', async () => {
      const session = createSshSession(hostSettings(sshd, workdir()), sshOptions(sshd));
      const report = await session.preflight(tinyModelDir());
      session.host.dispose();
      expect(report.ok).toBe(true);
      expect(report.facts.some((f) => f.startsWith('Python 3.'))).toBe(true);
      expect(report.facts.some((f) => f.startsWith('torch '))).toBe(true);
      expect(report.facts.some((f) => /needs about/.test(f))).toBe(true);
      expect(report.problems.map((p) => p.kind)).toEqual(['gpu']);
    });

    it('defaults the GPU price from the GPU preflight detects, unless the host has a price of its own', async () => {
      // An interpreter that answers the preflight as an H100 machine would (this machine has no GPU).
      const fake = join(workdir(), 'python-h100');
      const answer = {
        ok: true,
        python: '3.12.0',
        torch: '2.13.0',
        cuda: '12.4',
        cuda_available: true,
        driver: '550.54',
        gpus: [{ name: 'NVIDIA H100 80GB HBM3', memory_gb: 80 }],
        disk_free_gb: 500,
        checks: [],
      };
      writeFileSync(fake, `#!/bin/sh\necho '${JSON.stringify(answer)}'\n`);
      chmodSync(fake, 0o755);
      const session = createSshSession(hostSettings(sshd, workdir(), { python: fake }), sshOptions(sshd));
      expect(session.pricePerGpuHour).toBeUndefined(); // not known before the host was asked
      const report = await session.preflight();
      session.host.dispose();
      expect(report.gpuName).toBe('NVIDIA H100 80GB HBM3');
      expect(session.pricePerGpuHour).toBe(2.99);
      expect(session.priceFromGpu).toBe('H100');

      const priced = createSshSession(hostSettings(sshd, workdir(), { python: fake, pricePerGpuHour: 1.1 }), sshOptions(sshd));
      await priced.preflight();
      priced.host.dispose();
      expect(priced.pricePerGpuHour).toBe(1.1);
      expect(priced.priceFromGpu).toBeNull();
    });

    it('explains a Python that does not exist, and uploads nothing', async () => {
      const dir = workdir();
      const settings = hostSettings(sshd, dir, { python: '/opt/python-that-is-not-there/bin/python3' });
      const session = createSshSession(settings, sshOptions(sshd));
      const report = await session.preflight();
      expect(report.ok).toBe(false);
      expect(report.problems[0]).toMatchObject({ kind: 'python', severity: 'error' });
      expect(report.problems[0].message).toBe("Python '/opt/python-that-is-not-there/bin/python3' was not found on gpu-box.");
      session.host.dispose();

      const data = smallDatasets('nopython');
      const { config, configFile } = runConfig(data);
      const { registry, hosts } = await openRegistry(sshd, settings, join(dir, 'storage'));
      await expect(registry.launch({ config, configFile })).rejects.toThrow(
        /gpu-box cannot run this training:\n {2}error: Python '.*' was not found on gpu-box/,
      );
      expect(existsSync(join(dir, 'datasets'))).toBe(false);
      registry.dispose();
      hosts.dispose();
    });

    it.skipIf(missingParts({ 'a Python without torch (the one .venv was made from)': pythonWithoutTorch() !== null }))(
      'explains a Python without torch when it is used as is',
      async () => {
        const session = createSshSession(hostSettings(sshd, workdir(), { python: pythonWithoutTorch()!, manageEnv: false }), sshOptions(sshd));
        const report = await session.preflight();
        session.host.dispose();
        expect(report.ok).toBe(false);
        expect(report.problems[0]).toMatchObject({ kind: 'torch', severity: 'error' });
        expect(report.problems[0].message).toMatch(/PyTorch .*not installed for .*python3 on gpu-box/);
        expect(report.problems[0].hint).toMatch(/pip install -r requirements\.txt|manageEnv/);
      },
    );

    it(
      'launches on a fresh host whose python3 has none of the trainer packages: the bare interpreter first, then the environment, then the package and model checks inside it',
      { timeout: 300_000 },
      async () => {
        const dir = workdir();
        // The host's python3: the project's interpreter, where none of the trainer's packages can be imported (each
        // import raises ModuleNotFoundError, as on a fresh machine). The managed environment built from it inherits
        // the project's installed packages (systemSitePackages), so building it needs no download.
        const blocked = join(dir, 'no-trainer-packages');
        for (const name of ['torch', 'transformers', 'peft', 'accelerate', 'safetensors']) {
          mkdirSync(join(blocked, name), { recursive: true });
          writeFileSync(join(blocked, name, '__init__.py'), `raise ModuleNotFoundError("No module named '${name}'", name='${name}')\n`);
        }
        const python = join(dir, 'python3');
        writeFileSync(python, `#!/bin/sh\nPYTHONPATH='${blocked}'\${PYTHONPATH:+:$PYTHONPATH}; export PYTHONPATH\nexec ${PROJECT_PYTHON} "$@"\n`);
        chmodSync(python, 0o755);
        expect(() => execFileSync(python, ['-c', 'import transformers'], { stdio: 'ignore' })).toThrow();
        const settings = hostSettings(sshd, join(dir, 'work'), { python, manageEnv: true, systemSitePackages: true });

        const session = createSshSession(settings, sshOptions(sshd));
        const report = await session.preflight(tinyModelDir());
        session.host.dispose();
        expect(report.ok).toBe(true);
        expect(report.problems.map((p) => p.kind)).toEqual(['gpu']);
        expect(report.facts.some((f) => f.startsWith('Python 3.'))).toBe(true);

        const data = smallDatasets('fresh host');
        const { config, configFile } = runConfig(data, { evaluate: false }); // the run itself is not what is tested here
        const { registry, hosts } = await openRegistry(sshd, settings, join(dir, 'storage'));
        const progress: string[] = [];
        const launched = await registry.launch({ config, configFile, onProgress: (m) => progress.push(m) });
        const done = await registry.waitForEnd(launched.id);
        registry.dispose();
        hosts.dispose();
        expect(done.state).toBe('completed');
        const at = (pattern: RegExp) => progress.findIndex((m) => pattern.test(m));
        const order = [
          at(/^checking gpu-box \(preflight\)$/),
          at(/^Preparing the Python environment/),
          at(/^checking gpu-box with its environment/),
          at(/^uploaded /),
        ];
        expect(order.every((i) => i >= 0)).toBe(true);
        expect([...order].sort((a, b) => a - b)).toEqual(order);
        // The memory estimate for the model needs transformers: it comes from the check inside the environment.
        expect(at(/this run needs about/)).toBeGreaterThan(order[2]);
        expect(progress.join('\n')).not.toMatch(/Traceback|error:/);
      },
    );

    it('makes a full disk clear, both at preflight and when an upload runs out of space', async (context) => {
      const disk = tinyDisk();
      if (missingParts({ 'a 1 MiB tmpfs to fill (root in a privileged container can mount one)': disk !== null }) || !disk) return context.skip();
      try {
        const settings = hostSettings(sshd, join(disk, 'work'));
        const session = createSshSession(settings, sshOptions(sshd));
        // Preflight first: the trainer's files fit, but what is left is far below what a run needs.
        const report = await session.preflight();
        expect(report.ok).toBe(false);
        expect(report.problems.find((p) => p.kind === 'disk')?.message).toMatch(/Only 0\.0 GB of disk is free/);

        // An upload that runs out of space says so, and leaves no partial file filling the disk.
        const local = mkdtempSync(join(tmpdir(), 'brightrun-big-'));
        const big = join(local, 'big.jsonl');
        writeFileSync(big, `${'{"text":"0123456789abcdef0123456789abcdef"}\n'.repeat(60_000)}`);
        mkdirSync(join(disk, 'work'), { recursive: true });
        await expect(session.host.upload(big, join(disk, 'work', 'big.jsonl'))).rejects.toThrow(/The disk on gpu-box is full: only \d+ KiB free on /);
        expect(existsSync(join(disk, 'work', 'big.jsonl'))).toBe(false);
        expect(existsSync(join(disk, 'work', 'big.jsonl.part'))).toBe(false);
        session.host.dispose();
      } finally {
        execFileSync('umount', [disk]);
      }
    });
  },
);
