// Follow benchmark:
//   1. latency from a line appended to events.jsonl to the event delivered by the run follower (RunFollower,
//      the engine's own), on the local host and over a loopback sshd; beside it the bare host.watchFile latency
//      (the transport alone) measured in the same run. Budget: p95 < 1 s.
//   2. overhead of launching through BrightRun (registry.launch -> waitForEnd) against running the trainer
//      command directly on the same resolved config, on the tiny model. Budget: < 5 % wall time.
//   npm run bench:follow [-- --events 40 --steps 12 --rounds 3 --skip-overhead]
import { spawn } from 'node:child_process';
import { appendFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Host } from '../../src/core/hosts/host';
import { HostSettings } from '../../src/core/hosts/hostSettings';
import { RunFollower } from '../../src/core/runs/runFollower';
import { RunMirror } from '../../src/core/runs/runMirror';
import { resolveConfig, localPaths } from '../../src/core/config/resolveConfig';
import { LocalHost } from '../../src/platform/localHost';
import { nodeStoreFs } from '../../src/platform/nodeStoreFs';
import { SshHost } from '../../src/platform/sshHost';
import { findTrainerSourceDir } from '../../src/platform/hostEnvironment';
import { knownHostsEntry, startSshd, type TestSshd } from '../../test/integration/helpers/sshd';
import { hostSettings, openRegistry, PROJECT_PYTHON, runConfig, smallDatasets, sshOptions } from '../../test/integration/helpers/sshRunFixture';

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const EVENTS = arg('events', 40);
const STEPS = arg('steps', 12);
const ROUNDS = arg('rounds', 3);
const GAP_MS = 100;

function percentiles(values: number[]): { p50: number; p95: number; max: number } {
  const s = [...values].sort((a, b) => a - b);
  const at = (q: number) => s[Math.min(s.length - 1, Math.ceil(q * s.length) - 1)];
  return { p50: at(0.5), p95: at(0.95), max: s[s.length - 1] };
}

const fmt = (ms: number) => `${ms.toFixed(1)} ms`;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function eventLine(seq: number): string {
  return JSON.stringify({ v: 1, seq, ts: new Date().toISOString(), type: 'log', level: 'info', message: `event ${seq}` }) + '\n';
}

/** A run folder that looks alive to the follower: status running, launch record naming this process. */
function fakeRunDir(root: string): string {
  const dir = join(root, 'runs', 'bench');
  mkdirSync(dir, { recursive: true });
  const now = new Date().toISOString();
  writeFileSync(
    join(dir, 'status.json'),
    JSON.stringify({ state: 'running', pid: process.pid, pgid: process.pid, step: 0, total_steps: null, updated_at: now, exit_reason: null }),
  );
  writeFileSync(
    join(dir, 'launch.json'),
    JSON.stringify({ v: 1, attempts: [{ attempt: 1, pid: process.pid, pgid: process.pid, started_at: now, resume: false }] }),
  );
  writeFileSync(join(dir, 'events.jsonl'), '');
  return dir;
}

/** Appends EVENTS lines GAP_MS apart; returns append -> delivery latencies (ms) for both measurements. */
async function measureLatency(host: Host, root: string): Promise<{ follower: number[]; watch: number[] }> {
  const runDir = fakeRunDir(root);
  const file = join(runDir, 'events.jsonl');
  const appendedAt = new Map<number, number>();
  const follower: number[] = [];
  const watch: number[] = [];
  const { mirror } = await RunMirror.open(nodeStoreFs, mkdtempSync(join(tmpdir(), 'bench-mirror-')));
  const f = new RunFollower(host, runDir, mirror, {
    onEvents: (events) => {
      const t = performance.now();
      for (const e of events) follower.push(t - appendedAt.get(e.seq)!);
    },
    onStatus: () => {},
    onWarning: (m) => console.error(`  follower warning: ${m}`),
    onEnd: () => {},
  });
  let buffered = '';
  const w = host.watchFile(
    file,
    0,
    (chunk) => {
      const t = performance.now();
      buffered += chunk.toString();
      const lines = buffered.split('\n');
      buffered = lines.pop()!;
      for (const line of lines) watch.push(t - appendedAt.get((JSON.parse(line) as { seq: number }).seq)!);
    },
    (e) => console.error(`  watch error: ${e.message}`),
  );
  f.start();
  await sleep(1500); // both attached
  for (let seq = 1; seq <= EVENTS; seq++) {
    appendedAt.set(seq, performance.now());
    appendFileSync(file, eventLine(seq));
    await sleep(GAP_MS);
  }
  const end = Date.now() + 10_000;
  while ((follower.length < EVENTS || watch.length < EVENTS) && Date.now() < end) await sleep(20);
  f.stop();
  w.dispose();
  if (follower.length < EVENTS || watch.length < EVENTS) throw new Error(`only ${follower.length}/${watch.length} of ${EVENTS} events arrived`);
  return { follower, watch };
}

function runDirect(python: string, runDir: string): Promise<number> {
  const started = performance.now();
  return new Promise((resolvePromise, reject) => {
    const child = spawn(python, ['-m', 'brightrun_trainer', 'train', '--run-dir', runDir], {
      env: { ...process.env, PYTHONPATH: findTrainerSourceDir(), PYTHONUNBUFFERED: '1' },
      stdio: 'ignore',
    });
    child.on('exit', (code) => (code === 0 ? resolvePromise(performance.now() - started) : reject(new Error(`trainer exited with ${code}`))));
  });
}

/** Wall time of each way to train the same config, ROUNDS times interleaved; the minimum of each is compared,
 *  since on a shared machine noise only ever adds time. */
async function measureOverhead(sshd: TestSshd): Promise<void> {
  const data = smallDatasets('bench', 48, 8);
  const { config, configFile } = runConfig(data, {
    hyperparameters: { maxSteps: STEPS, batchSize: 2, gradAccum: 1, learningRate: 0.001 },
    evalEvery: 0,
    checkpointEvery: 0,
  });
  const paths = localPaths(config, configFile);
  const storage = mkdtempSync(join(tmpdir(), 'bench-storage-'));
  const { registry, hosts } = await openRegistry(sshd, hostSettings(sshd, mkdtempSync(join(tmpdir(), 'bench-ssh-'))), storage);

  const direct = async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bench-direct-'));
    const resolved = resolveConfig(config, {
      runId: '20260101-000000-abcdef',
      trainPathOnHost: paths.train,
      validationPathOnHost: paths.validation,
      baseModelOnHost: paths.baseModel,
    });
    writeFileSync(join(dir, 'config.json'), JSON.stringify(resolved));
    return runDirect(PROJECT_PYTHON, dir);
  };
  // What BrightRun adds, measured directly so that noise in training speed does not drown it: from the
  // launch call to the trainer's start (launch.json's started_at, written just before the spawn), and from the
  // trainer's `done` event to the engine reporting the end.
  const added: Record<string, number[]> = { local: [], ssh: [] };
  const through = (host: string, label: 'local' | 'ssh' | null) => async () => {
    const t = Date.now();
    const info = await registry.launch({ config, configFile, host });
    const done = await registry.waitForEnd(info.id);
    const ended = Date.now();
    if (done.state !== 'completed') throw new Error(`run on ${host} ended ${done.state}: ${done.exitReason}`);
    const started = Date.parse(
      (JSON.parse(readFileSync(join(info.runDir, 'launch.json'), 'utf8')) as { attempts: { started_at: string }[] }).attempts[0].started_at,
    );
    const doneEvent = (await registry.events(info.id)).find((e) => e.type === 'done')!;
    if (label) added[label].push(started - t + (ended - Date.parse(doneEvent.ts)));
    return ended - t;
  };

  // The first SSH launch also runs preflight, copies the trainer and uploads the data: measured on its own.
  const cold = await through('gpu-box', null)();
  const ways = { direct, local: through('local', 'local'), ssh: through('gpu-box', 'ssh') };
  const times: Record<keyof typeof ways, number[]> = { direct: [], local: [], ssh: [] };
  for (let round = 0; round < ROUNDS; round++) {
    for (const name of Object.keys(ways) as (keyof typeof ways)[]) times[name].push(await ways[name]());
  }
  registry.dispose();
  hosts.dispose();

  const base = Math.min(...times.direct);
  const line = (label: string, values: number[]) => {
    const best = Math.min(...values);
    const all = values.map((v) => (v / 1000).toFixed(1)).join(', ');
    console.log(
      `  ${label.padEnd(34)} min ${(best / 1000).toFixed(1)} s  (runs: ${all} s)  ratio ${(best / base).toFixed(3)}  overhead ${(((best - base) / base) * 100).toFixed(1)} %`,
    );
  };
  line('direct trainer command (baseline)', times.direct);
  line('BrightRun, local host', times.local);
  line('BrightRun, SSH host', times.ssh);
  line('BrightRun, SSH host, first launch', [cold]);
  for (const [label, values] of Object.entries(added)) {
    const median = [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
    console.log(
      `  added by BrightRun (${label}): launch call -> trainer start + done event -> end reported, median ${(median / 1000).toFixed(2)} s = ${((median / base) * 100).toFixed(1)} % of the baseline run`,
    );
  }
  console.log('  budget: overhead < 5 % (the first SSH launch also runs preflight, copies the trainer, uploads the data)');
}

async function main(): Promise<void> {
  const sshd = await startSshd();
  writeFileSync(sshd.knownHosts, knownHostsEntry(sshd));
  try {
    console.log(`Follow latency: ${EVENTS} events, ${GAP_MS} ms apart (append -> delivered)`);
    const localRoot = mkdtempSync(join(tmpdir(), 'bench-local-'));
    const remoteRoot = mkdtempSync(join(tmpdir(), 'bench-remote-'));
    const ssh = new SshHost(HostSettings.parse({ name: 'bench', sshAlias: sshd.alias, workdir: remoteRoot }), sshOptions(sshd));
    for (const [label, host, root] of [
      ['local', new LocalHost(localRoot), localRoot],
      ['ssh (loopback sshd)', ssh, remoteRoot],
    ] as const) {
      const { follower, watch } = await measureLatency(host, root);
      const f = percentiles(follower);
      const w = percentiles(watch);
      console.log(
        `  ${label.padEnd(20)} follower p50 ${fmt(f.p50)}  p95 ${fmt(f.p95)}  max ${fmt(f.max)}   | watchFile alone p50 ${fmt(w.p50)}  p95 ${fmt(w.p95)}   | p95 / 1 s budget = ${(f.p95 / 1000).toFixed(3)}`,
      );
    }
    ssh.dispose();
    if (!process.argv.includes('--skip-overhead')) {
      console.log(`Launch overhead on the tiny model (${STEPS} steps):`);
      await measureOverhead(sshd);
    }
  } finally {
    await sshd.stop();
  }
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
