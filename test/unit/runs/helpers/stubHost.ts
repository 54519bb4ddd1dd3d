// A local host whose "python" is the stub trainer, for unit tests of the run engine.
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HostRegistry, type HostSession } from '../../../../src/core/runs/hostRegistry';
import { LocalHost } from '../../../../src/platform/localHost';

export function stubPython(): string {
  const dir = mkdtempSync(join(tmpdir(), 'stub-python-'));
  const path = join(dir, 'python');
  writeFileSync(path, `#!/bin/sh\nexec "${process.execPath}" "${join(__dirname, 'stubTrainer.mjs')}" "$@"\n`);
  chmodSync(path, 0o755);
  return path;
}

export function stubSession(workdir: string, env: Record<string, string> = {}, pricePerGpuHour?: number): HostSession {
  const python = stubPython();
  return {
    host: new LocalHost(workdir),
    pricePerGpuHour,
    runtime: async () => ({ python, env }),
    stage: async (paths) => paths,
  };
}

export function stubHosts(workdir: string, env: Record<string, string> = {}, pricePerGpuHour?: number): HostRegistry {
  const session = stubSession(workdir, env, pricePerGpuHour);
  return new HostRegistry({ local: async () => session });
}
