// `brightrun queue`: the local host's queue through the real `python -m brightrun_trainer queue list` (standard
// library only, so it runs in a unit test): the order and places, --json, and a damaged queue file's message.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { runCli } from '../../../src/cli/dispatch';
import { missingParts } from '../../realParts';

const PYTHON = resolve('.venv/bin/python');

let out: string[];
let err: string[];
let home: string;
beforeEach(() => {
  out = [];
  err = [];
  vi.spyOn(console, 'log').mockImplementation((...a: unknown[]) => void out.push(a.join(' ')));
  vi.spyOn(console, 'error').mockImplementation((...a: unknown[]) => void err.push(a.join(' ')));
  home = mkdtempSync(join(tmpdir(), 'cli-queue-'));
  mkdirSync(join(home, 'local'), { recursive: true });
  vi.stubEnv('BRIGHTRUN_HOME', home);
  vi.stubEnv('BRIGHTRUN_PYTHON', PYTHON);
});
afterEach(() => {
  vi.restoreAllMocks();
  vi.unstubAllEnvs();
});

const waiting = (runId: string) => ({ run_id: runId, run_dir: `/w/runs/${runId}`, state: 'waiting', gpus: 1, devices: [], pid: null, queued_at: null });

describe.skipIf(missingParts({ 'the project virtualenv (.venv)': existsSync(PYTHON) }))('brightrun queue', () => {
  it('says when the queue is empty', async () => {
    expect(await runCli(['queue'])).toBe(0);
    expect(out).toEqual(['The queue of local is empty.']);
  });

  it('lists the waiting runs in order, saying which have lost their waiter, and as JSON', async () => {
    writeFileSync(join(home, 'local', 'queue.json'), JSON.stringify({ v: 1, entries: [waiting('run-b'), waiting('run-a')] }));
    expect(await runCli(['queue'])).toBe(0);
    expect(out).toEqual([
      '1.      run-b  1 GPU  (waiter not running: restarts on the next attach)',
      '2.      run-a  1 GPU  (waiter not running: restarts on the next attach)',
    ]);
    out = [];
    expect(await runCli(['queue', '--json'])).toBe(0);
    expect((JSON.parse(out.join('\n')) as { run_id: string; position: number }[]).map((e) => [e.run_id, e.position])).toEqual([
      ['run-b', 1],
      ['run-a', 2],
    ]);
  });

  it('reports a damaged queue file with its path and leaves it as it is', async () => {
    const file = join(home, 'local', 'queue.json');
    writeFileSync(file, '{"v": 1, "entries": [');
    expect(await runCli(['queue'])).toBe(2);
    expect(err.join('\n')).toMatch(/not valid JSON.*fix it or move it away/);
    expect(err.join('\n')).toContain(file);
    expect(readFileSync(file, 'utf8')).toBe('{"v": 1, "entries": [');
  });

  it('refuses an unknown action and a move-up without a run', async () => {
    expect(await runCli(['queue', 'shuffle'])).toBe(2);
    expect(err.join('\n')).toMatch(/unknown queue action 'shuffle'/);
    expect(await runCli(['queue', 'move-up'])).toBe(2);
    expect(err.join('\n')).toMatch(/name the queued run to move up/);
  });
});
