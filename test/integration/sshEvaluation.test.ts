// Evaluation over SSH with the real trainer on a tiny model: the report training leaves beside the adapter, read
// back over SFTP, and `evaluate` run on the host with a prompt set from this machine (uploaded first, under a
// name no shell should interpret).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { missingParts } from '../realParts';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, posix } from 'node:path';
import { knownHostsEntry, sshdAvailable, startSshd, type TestSshd } from './helpers/sshd';
import { HOST, hostSettings, openRegistry, PROJECT_PYTHON, runConfig, smallDatasets } from './helpers/sshRunFixture';
import { evaluateRun, readEvalReport } from '../../src/core/evaluation/runEvaluation';

let sshd: TestSshd;
let workdir: string;

beforeAll(async () => {
  sshd = await startSshd();
  writeFileSync(sshd.knownHosts, knownHostsEntry(sshd));
  workdir = join(mkdtempSync(join(tmpdir(), 'brightrun-ssh-eval-')), 'work $(touch x)');
});
afterAll(async () => {
  await sshd?.stop();
});

describe.skipIf(missingParts({ sshd: sshdAvailable, 'the project virtualenv (.venv)': existsSync(PROJECT_PYTHON) }))(
  'evaluation over SSH',
  { timeout: 240_000 },
  () => {
    it('reads the report training wrote, and evaluates again on the host with a local prompt set', async () => {
      const data = smallDatasets('eval');
      const { config, configFile } = runConfig(data, { gates: { maxRetentionIncreasePct: null, minTokenF1: 0 } });
      const storage = mkdtempSync(join(tmpdir(), 'brightrun-storage-'));
      const { registry, hosts } = await openRegistry(sshd, hostSettings(sshd, workdir), storage);
      try {
        const launched = await registry.launch({ config, configFile });
        const done = await registry.waitForEnd(launched.id);
        expect(done.state).toBe('completed');
        const session = await hosts.get(HOST);

        const trained = await readEvalReport(session, done.adapterPath!);
        expect(trained?.run_id).toBe(launched.id);
        expect(trained?.validation?.examples).toBeGreaterThan(0);
        expect(trained?.prompts.source).toBe('validation');
        expect(trained?.gates.map((g) => g.name)).toEqual(['adapterBeatsBaseOnValPerplexity', 'minTokenF1']);

        const prompts = join(data.root, `prompts $(touch pwned) 'q'.jsonl`);
        writeFileSync(
          prompts,
          ['{"prompt": "How do I clean the Ember heater?", "reference": "Wipe it with a damp cloth."}', '{"prompt": "Hi"}'].join('\n') + '\n',
        );
        const report = await evaluateRun(session, { id: done.id, host: HOST, runDir: done.runDir }, { promptsFile: prompts, maxNewTokens: 8 });
        const uploaded = posix.join(done.runDir, 'eval-prompts.jsonl');
        expect(report.prompts.source).toBe(uploaded);
        expect(readFileSync(uploaded, 'utf8')).toBe(readFileSync(prompts, 'utf8'));
        expect(report.prompts.count).toBe(2);
        expect(report.prompts.max_new_tokens).toBe(8);
        expect(report.base.perplexity).toBeCloseTo(trained!.base.perplexity!, 3);
        expect((await readEvalReport(session, done.adapterPath!))?.created_at).toBe(report.created_at);
        expect(existsSync(join(data.root, 'pwned')) || existsSync(join(workdir, '..', 'x'))).toBe(false);
      } finally {
        registry.dispose();
        hosts.dispose();
      }
    });
  },
);
