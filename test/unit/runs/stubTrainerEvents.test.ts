// The unit tier's stand-in trainer (helpers/stubTrainer.mjs) must write what the real trainer writes: every event
// it appends is checked against the event schema of src/contracts/events.ts (nothing missing, nothing extra), seq
// runs 1, 2, 3 ... across a cancel and a resume, and status.json matches its schema. Otherwise tests of the engine
// on the stand-in could pass on events the real reader would reject.
import { execFile, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RunEvent } from '../../../src/contracts/events';
import { RunStatus } from '../../../src/contracts/status';

const STUB = join(__dirname, 'helpers', 'stubTrainer.mjs');
const run = promisify(execFile);

function stubEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  return { ...process.env, STUB_STEP_MS: '1', STUB_TOTAL_STEPS: '4', ...extra };
}

/** Each line of events.jsonl, checked against the schema: parsing must keep every field the stand-in wrote. */
function checkedEvents(runDir: string): RunEvent[] {
  const lines = readFileSync(join(runDir, 'events.jsonl'), 'utf8').split('\n').filter(Boolean);
  return lines.map((line, index) => {
    const raw = JSON.parse(line);
    const parsed = RunEvent.safeParse(raw);
    if (!parsed.success) throw new Error(`events.jsonl line ${index + 1} does not match the event schema: ${parsed.error.message}\n${line}`);
    expect(parsed.data, `events.jsonl line ${index + 1} has fields the schema does not know`).toEqual(raw);
    return parsed.data;
  });
}

function checkedStatus(runDir: string) {
  const raw = JSON.parse(readFileSync(join(runDir, 'status.json'), 'utf8'));
  const parsed = RunStatus.safeParse(raw);
  if (!parsed.success) throw new Error(`status.json does not match its schema: ${parsed.error.message}`);
  expect(parsed.data).toEqual(raw);
  return parsed.data;
}

async function untilFile(path: string, check: (text: string) => boolean): Promise<void> {
  for (;;) {
    if (existsSync(path) && check(readFileSync(path, 'utf8'))) return;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

describe('stand-in trainer events', () => {
  let runDir: string;
  beforeEach(() => {
    runDir = mkdtempSync(join(tmpdir(), 'brightrun-stub-'));
  });
  afterEach(() => rmSync(runDir, { recursive: true, force: true }));

  it('writes schema-valid events with gapless seq for a completed run', async () => {
    await run(process.execPath, [STUB, 'train', '--run-dir', runDir], { env: stubEnv({ STUB_SCENARIO: 'complete' }) });
    const events = checkedEvents(runDir);
    expect(events.map((event) => event.seq)).toEqual(events.map((_, i) => i + 1));
    expect(events.map((event) => event.type)).toEqual(['stage', 'plan', 'metrics', 'metrics', 'metrics', 'metrics', 'checkpoint', 'done']);
    expect(checkedStatus(runDir).state).toBe('completed');
  });

  it('writes schema-valid events up to a crash', async () => {
    await expect(run(process.execPath, [STUB, 'train', '--run-dir', runDir], { env: stubEnv({ STUB_SCENARIO: 'crash' }) })).rejects.toThrow();
    const events = checkedEvents(runDir);
    expect(events.at(-1)?.type).toBe('metrics');
    checkedStatus(runDir);
  });

  it('keeps the events schema-valid and seq continuing across a cancel and a resume', async () => {
    const child = spawn(process.execPath, [STUB, 'train', '--run-dir', runDir], { env: stubEnv({ STUB_SCENARIO: 'hang' }), stdio: 'ignore' });
    const exited = new Promise((resolve) => child.on('exit', resolve));
    await untilFile(join(runDir, 'events.jsonl'), (text) => text.includes('"step":3'));
    child.kill('SIGTERM');
    await exited;
    expect(checkedStatus(runDir).state).toBe('cancelled');
    const cancelled = checkedEvents(runDir);
    expect(cancelled.at(-1)).toMatchObject({ type: 'done', state: 'cancelled' });

    await run(process.execPath, [STUB, 'train', '--run-dir', runDir, '--resume'], { env: stubEnv({ STUB_SCENARIO: 'complete' }) });
    const events = checkedEvents(runDir);
    expect(events.map((event) => event.seq)).toEqual(events.map((_, i) => i + 1));
    expect(events.slice(cancelled.length).find((event) => event.type === 'plan')).toMatchObject({ resumed_from_step: 3 });
    expect(checkedStatus(runDir).state).toBe('completed');
  });

  it('prints a schema-valid error event when an evaluation fails', async () => {
    const failed = run(process.execPath, [STUB, 'evaluate', '--run-dir', runDir], { env: stubEnv({ STUB_EVAL_FAIL: 'prompt set line 3 is not JSON' }) });
    const error = (await failed.catch((e: { stdout: string }) => e)) as { stdout: string };
    const raw = JSON.parse(error.stdout.trim());
    expect(RunEvent.parse(raw)).toEqual(raw);
  });
});
