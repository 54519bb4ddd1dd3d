// The run state the editor and the CLI share: a registry sees what another one (another process, in real use)
// starts and removes; the older editor-only run list is imported once; the lock shared by the processes is
// taken over from a dead owner.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { importRunStore, RunRegistry, type RunChange } from '../../../src/core/runs';
import { validateRunConfig } from '../../../src/contracts/validateRunConfig';
import { nodeStoreFs } from '../../../src/platform/nodeStoreFs';
import { withFileLock } from '../../../src/platform/fileLock';
import { combineHostLists } from '../../../src/core/hosts/hostLists';
import { parseHostsList } from '../../../src/core/hosts/hostSettings';
import { stubHosts } from './helpers/stubHost';
import { waitFor } from './helpers/waitFor';

function project() {
  const root = mkdtempSync(join(tmpdir(), 'shared-state-'));
  mkdirSync(join(root, 'data'));
  writeFileSync(join(root, 'data', 'train.jsonl'), '{"text":"hello"}\n');
  const parsed = validateRunConfig({ datasets: { train: 'data/train.jsonl' }, baseModel: 'tiny' });
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
  return { root, configFile: join(root, 'demo.brightrun.json'), config: parsed.config, workdir: join(root, 'host') };
}

function open(storageDir: string, workdir: string, options: { watch?: boolean; attach?: boolean } = {}, env: Record<string, string> = {}) {
  return RunRegistry.open(
    {
      storageDir,
      fs: nodeStoreFs,
      hosts: stubHosts(workdir, { STUB_TOTAL_STEPS: '40', STUB_STEP_MS: '10', ...env }),
      followerOptions: { statusPollMs: 20 },
      cancelGraceMs: 10_000,
    },
    options,
  );
}

describe('a registry watching the shared index', { timeout: 60_000 }, () => {
  it('lists and follows a run another registry started, and drops it once that one removes it', async () => {
    const p = project();
    const storageDir = join(p.root, 'state');
    const editor = await open(storageDir, p.workdir, { watch: true });
    const changes: RunChange[] = [];
    editor.onDidChange((change) => changes.push(change));
    const cli = await open(storageDir, p.workdir, { attach: false });

    const run = await cli.launch({ config: p.config, configFile: p.configFile });
    await waitFor(() => changes.some((c) => c.kind === 'added' && c.run.id === run.id), 'the editor to list the run');
    // The editor follows it itself: its history arrives live and the run ends there too.
    const ended = await editor.waitForEnd(run.id);
    expect(ended.state).toBe('completed');
    expect(ended.step).toBe(40);
    await cli.waitForEnd(run.id);

    await cli.remove(run.id);
    await waitFor(() => changes.some((c) => c.kind === 'removed' && c.run.id === run.id), 'the editor to drop the removed run');
    expect(editor.get(run.id)).toBeUndefined();
    editor.dispose();
    cli.dispose();
  });

  it('takes in a record another process saved later (a higher rev): a run resumed there is followed here again', async () => {
    const p = project();
    const storageDir = join(p.root, 'state');
    const first = await open(storageDir, p.workdir, { watch: true }, { STUB_SCENARIO: 'hang' });
    const run = await first.launch({ config: p.config, configFile: p.configFile });
    await waitFor(() => (first.get(run.id)?.step ?? 0) >= 2, 'a few steps');
    await first.cancel(run.id);
    await first.waitForEnd(run.id);
    expect(first.get(run.id)?.state).toBe('cancelled');
    // Another process resumes it: a new attempt, saved with a higher rev.
    const second = await open(storageDir, p.workdir, { attach: false });
    await second.resume(run.id);
    await waitFor(() => first.get(run.id)?.attempts === 2, 'the first process to take in the resume');
    await second.waitForEnd(run.id);
    // The first process followed the resumed attempt itself, to its end.
    const ended = await first.waitForEnd(run.id);
    expect(ended.state).toBe('completed');
    expect(ended.step).toBe(40);
    first.dispose();
    second.dispose();
  });
});

describe("importing the editor's older run list", { timeout: 60_000 }, () => {
  it('moves every run once into the shared state, leaves hidden ones out, and is not repeated', async () => {
    const p = project();
    const oldDir = join(p.root, 'globalStorage');
    const stateDir = join(p.root, 'home', 'state');
    const old = await open(oldDir, p.workdir);
    const kept = await old.launch({ config: p.config, configFile: p.configFile });
    const hidden = await old.launch({ config: p.config, configFile: p.configFile });
    await old.waitForEnd(kept.id);
    await old.waitForEnd(hidden.id);
    old.dispose();

    const first = await importRunStore(nodeStoreFs, oldDir, stateDir, { hidden: new Set([hidden.id]) });
    expect(first?.imported).toEqual([kept.id]);
    expect(first?.skipped).toEqual([hidden.id]);
    expect(await importRunStore(nodeStoreFs, oldDir, stateDir)).toBeNull();
    expect(JSON.parse(readFileSync(join(oldDir, 'moved.json'), 'utf8')).runs).toEqual([kept.id]);

    const shared = await open(stateDir, p.workdir, { attach: false });
    expect(shared.list().map((r) => r.id)).toEqual([kept.id]);
    expect(shared.get(kept.id)?.state).toBe('completed');
    expect((await shared.events(kept.id)).map((e) => e.seq)).toEqual(
      (await (await open(oldDir, p.workdir, { attach: false })).events(kept.id)).map((e) => e.seq),
    );
    expect(existsSync(join(stateDir, 'importing'))).toBe(false);
    shared.dispose();
  });

  it('does not duplicate a run already in the shared state (an import cut short and run again)', async () => {
    const p = project();
    const oldDir = join(p.root, 'globalStorage');
    const stateDir = join(p.root, 'home', 'state');
    const old = await open(oldDir, p.workdir);
    const run = await old.launch({ config: p.config, configFile: p.configFile });
    await old.waitForEnd(run.id);
    old.dispose();
    // Cut short after the mirror was moved in, before the index listed it and before moved.json was written.
    const mirror = join(stateDir, 'mirror');
    mkdirSync(mirror, { recursive: true });
    await nodeStoreFs.copyTree(join(oldDir, 'mirror', run.id), join(mirror, run.id));

    const again = await importRunStore(nodeStoreFs, oldDir, stateDir);
    expect(again?.imported).toEqual([]);
    expect(again?.skipped).toEqual([run.id]);
    const index = JSON.parse(readFileSync(join(stateDir, 'runs.json'), 'utf8')) as { runs: { id: string }[] };
    expect(index.runs.map((r) => r.id)).toEqual([run.id]);
  });
});

describe('the lock shared by the processes', () => {
  it('takes over a lock whose owner process is gone, and waits for one whose owner is alive', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'file-lock-'));
    const lock = join(dir, 'runs.json.lock');
    // A pid far above any pid_max in use here: no such process.
    writeFileSync(lock, JSON.stringify({ pid: 2 ** 22 + 7, host: hostname(), at: new Date().toISOString() }));
    expect(await withFileLock(lock, async () => 'taken over')).toBe('taken over');
    expect(existsSync(lock)).toBe(false);

    writeFileSync(lock, JSON.stringify({ pid: process.pid, host: hostname(), at: new Date().toISOString() }));
    await expect(withFileLock(lock, async () => 'got it', { timeoutMs: 200 })).rejects.toThrow(new RegExp(`held by process ${process.pid} on `));
    // A live owner that has held it past the stale age is taken over too (a reused pid, or a hung process).
    writeFileSync(lock, JSON.stringify({ pid: process.pid, host: hostname(), at: new Date(Date.now() - 60_000).toISOString() }));
    expect(await withFileLock(lock, async () => 'stale by age', { staleMs: 30_000 })).toBe('stale by age');
  });

  it('lets only one holder in at a time', async () => {
    const lock = join(mkdtempSync(join(tmpdir(), 'file-lock-')), 'x.lock');
    let inside = 0;
    let most = 0;
    await Promise.all(
      Array.from({ length: 20 }, () =>
        withFileLock(lock, async () => {
          inside++;
          most = Math.max(most, inside);
          await new Promise((r) => setTimeout(r, 2));
          inside--;
        }),
      ),
    );
    expect(most).toBe(1);
  });
});

describe('one hosts list for the editor and the CLI', () => {
  const file = parseHostsList(
    {
      hosts: [
        { name: 'gpu', host: 'gpu.example.com' },
        { name: 'lab', sshAlias: 'lab' },
      ],
    },
    'hosts.json',
  );
  it("adds the setting's hosts after the file's; the file wins a clash, which is reported", () => {
    const setting = parseHostsList(
      [
        { name: 'gpu', host: 'other.example.com' },
        { name: 'cloud', host: 'cloud.example.com' },
      ],
      'setting',
    );
    const combined = combineHostLists(file, setting, '/home/me/.brightrun/hosts.json');
    expect(combined.hosts.map((h) => [h.name, h.host ?? h.sshAlias])).toEqual([
      ['gpu', 'gpu.example.com'],
      ['lab', 'lab'],
      ['cloud', 'cloud.example.com'],
    ]);
    expect(combined.clashes).toEqual([
      expect.stringMatching(
        /^host 'gpu' is defined both in \/home\/me\/\.brightrun\/hosts\.json and in the brightrun\.hosts setting, differently; the entry in .* is used/,
      ),
    ]);
  });
  it('says nothing when the same host is written the same way in both', () => {
    const setting = parseHostsList([{ name: 'lab', sshAlias: 'lab' }], 'setting');
    expect(combineHostLists(file, setting, 'hosts.json')).toEqual({ hosts: file, clashes: [] });
  });
});
