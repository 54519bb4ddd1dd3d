// Getting a host ready over a real sshd: the trainer copied once, a virtualenv created once (from the
// project's interpreter, inheriting its packages so pip needs no network) and reused, datasets uploaded by
// content hash and skipped when already there, and a clear error for a missing interpreter.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { missingParts } from '../realParts';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { HostSettings } from '../../src/core/hosts/hostSettings';
import { SshHost } from '../../src/platform/sshHost';
import { ensureRuntime, findTrainerSourceDir, loadTrainerSource, uploadConfigDatasets } from '../../src/platform/hostEnvironment';
import type { TrainerConfig } from '../../src/contracts/trainerConfig';
import { knownHostsEntry, sshdAvailable, startSshd, type TestSshd } from './helpers/sshd';

const PROJECT_PYTHON = resolve('.venv/bin/python');
let sshd: TestSshd;
let workdir: string;
const source = loadTrainerSource(findTrainerSourceDir());

function host(overrides: Record<string, unknown> = {}) {
  return new SshHost(HostSettings.parse({ name: 'box', sshAlias: sshd.alias, workdir, python: PROJECT_PYTHON, ...overrides }), {
    sshConfigPath: sshd.sshConfig,
    knownHostsFiles: [sshd.knownHosts],
    agentSocket: null,
  });
}

beforeAll(async () => {
  sshd = await startSshd();
  writeFileSync(sshd.knownHosts, knownHostsEntry(sshd));
  workdir = join(mkdtempSync(join(tmpdir(), 'brightrun-env-')), 'work dir');
});
afterAll(async () => {
  await sshd?.stop();
});

describe.skipIf(missingParts({ sshd: sshdAvailable, 'the project virtualenv (.venv)': existsSync(PROJECT_PYTHON) }))(
  'host environment over SSH',
  { timeout: 180_000 },
  () => {
    it('uses an existing interpreter as is when manageEnv is false, with the trainer copied once', async () => {
      const h = host({ manageEnv: false });
      const logs: string[] = [];
      const runtime = await ensureRuntime(h, h.settings, source, (l) => logs.push(l));
      expect(runtime.python).toBe(PROJECT_PYTHON);
      expect(runtime.env.PYTHONPATH).toMatch(new RegExp(`^${workdir}/trainer/[0-9a-f]{16}$`));
      const r = await h.exec([runtime.python, '-c', 'import brightrun_trainer; print(brightrun_trainer.__file__)'], { env: runtime.env });
      expect(r.stdout.trim()).toBe(`${runtime.env.PYTHONPATH}/brightrun_trainer/__init__.py`);
      expect(logs.some((l) => l.startsWith('Copying the trainer'))).toBe(true);

      const again: string[] = [];
      await ensureRuntime(h, h.settings, source, (l) => again.push(l));
      expect(again.some((l) => l.startsWith('Copying the trainer'))).toBe(false);
      h.dispose();
    });

    it('creates a virtualenv once (inheriting the interpreter packages, so pip works offline) and reuses it', async () => {
      const h = host({ manageEnv: true, systemSitePackages: true });
      const other = host({ manageEnv: true, systemSitePackages: true });
      const logs: string[] = [];
      const otherLogs: string[] = [];
      // Two launches at once on a fresh host: one builds, the other waits for it and reuses the result.
      const [runtime, otherRuntime] = await Promise.all([
        ensureRuntime(h, h.settings, source, (l) => logs.push(l)),
        ensureRuntime(other, other.settings, source, (l) => otherLogs.push(l)),
      ]);
      other.dispose();
      expect(otherRuntime.python).toBe(runtime.python);
      expect([logs.at(-1), otherLogs.at(-1)].sort()).toEqual(['environment: created', 'environment: reused']);
      expect(runtime.python).toMatch(new RegExp(`^${workdir}/envs/[0-9a-f]{16}/bin/python$`));
      expect(existsSync(join(runtime.python, '..', '..', '.brightrun-ready'))).toBe(true);
      const r = await h.exec([runtime.python, '-c', 'import sys, torch, peft, brightrun_trainer; print(sys.prefix)'], { env: runtime.env });
      expect(r.stderr).toBe('');
      expect(r.stdout.trim()).toBe(join(runtime.python, '..', '..'));

      const second: string[] = [];
      const reused = await ensureRuntime(h, h.settings, source, (l) => second.push(l));
      expect(reused.python).toBe(runtime.python);
      expect(second.at(-1)).toBe('environment: reused');
      h.dispose();
    });

    it('explains a missing interpreter', async () => {
      const h = host({ manageEnv: true, python: '/opt/no-such/python3' });
      await expect(ensureRuntime(h, h.settings, source)).rejects.toThrow(/Python '\/opt\/no-such\/python3' was not found on box/);
      h.dispose();
    });

    it('uploads datasets by content hash, skips them when present, and rewrites the config paths', async () => {
      const local = mkdtempSync(join(tmpdir(), 'brightrun-data-'));
      const train = join(local, `my "train" $(x) set.jsonl`);
      const val = join(local, 'val.jsonl');
      writeFileSync(train, '{"text":"a"}\n{"text":"b"}\n');
      writeFileSync(val, '{"text":"c"}\n');
      const config = { train_file: train, validation_file: val } as TrainerConfig;
      const h = host();
      const first = await uploadConfigDatasets(h, config);
      expect(first.uploaded).toEqual([train, val]);
      expect(first.config.train_file).toMatch(new RegExp(`^${workdir}/datasets/[0-9a-f]{64}\\.jsonl$`));
      expect(readFileSync(first.config.train_file, 'utf8')).toBe(readFileSync(train, 'utf8'));
      expect(readFileSync(first.config.validation_file!, 'utf8')).toBe('{"text":"c"}\n');

      const second = await uploadConfigDatasets(h, config);
      expect(second.uploaded).toEqual([]);
      expect(second.skipped).toEqual([train, val]);
      expect(second.config).toEqual(first.config);
      h.dispose();
    });
  },
);
