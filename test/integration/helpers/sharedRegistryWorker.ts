// One process using the shared run state, for the two-process test (run with tsx): it opens the registry on
// the given storage, follows every run still going (and any another process starts), launches `launches` short
// runs of the stub trainer, waits for the run to follow to end, and prints what it saw as one JSON line.
//   tsx sharedRegistryWorker.ts <storageDir> <workdir> <configFile> <followRunId> <launches>
import { RunRegistry } from '../../../src/core/runs';
import { validateRunConfig } from '../../../src/contracts/validateRunConfig';
import { nodeStoreFs } from '../../../src/platform/nodeStoreFs';
import { stubHosts } from '../../unit/runs/helpers/stubHost';

async function main(): Promise<void> {
  const [storageDir, workdir, configFile, followRunId, launches] = process.argv.slice(2);
  const parsed = validateRunConfig({ datasets: { train: 'data/train.jsonl' }, baseModel: 'tiny', host: 'local' });
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
  const registry = await RunRegistry.open(
    { storageDir, fs: nodeStoreFs, hosts: stubHosts(workdir, { STUB_TOTAL_STEPS: '3', STUB_STEP_MS: '5' }), followerOptions: { statusPollMs: 20 } },
    { attach: true, watch: true },
  );
  const appended: number[] = [];
  registry.onDidAppendEvents(({ runId, events }) => {
    if (runId === followRunId) appended.push(...events.map((e) => e.seq));
  });
  const launched: string[] = [];
  for (let i = 0; i < Number(launches); i++) launched.push((await registry.launch({ config: parsed.config, configFile })).id);
  const followed = await registry.waitForEnd(followRunId);
  for (const id of launched) await registry.waitForEnd(id);
  const history = (await registry.events(followRunId)).map((e) => e.seq);
  process.stdout.write(JSON.stringify({ launched, appended, history, state: followed.state, step: followed.step }) + '\n');
  registry.dispose();
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
