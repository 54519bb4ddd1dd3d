// The panel protocols accept what the other side sends and reject, with a readable error, what it must not.
import { describe, expect, it } from 'vitest';
import { compactHistory } from '../../src/shared/monitorHistory';
import { parseMonitorHostMessage, parseMonitorWebviewMessage } from '../../src/shared/monitorProtocol';
import { parseLaunchHostMessage, parseLaunchWebviewMessage } from '../../src/shared/launchProtocol';
import { parseCompareHostMessage, parseCompareWebviewMessage } from '../../src/shared/compareProtocol';
import { runSummary, sampleHistory } from './fixtures';

describe('monitor protocol', () => {
  it('accepts an init with a full compact history and a ready handshake', () => {
    const init = parseMonitorHostMessage({ type: 'init', run: runSummary(), history: compactHistory(sampleHistory(20)), logTail: ['a'] });
    expect(init.ok).toBe(true);
    // The old shape (every event as an object) is refused with a message that names the missing field.
    const old = parseMonitorHostMessage({ type: 'init', run: runSummary(), events: sampleHistory(20), logTail: ['a'] });
    expect(old).toMatchObject({ ok: false, error: expect.stringContaining('history') });
    expect(parseMonitorWebviewMessage({ type: 'ready', runId: null })).toEqual({
      ok: true,
      message: { type: 'ready', runId: null },
    });
  });

  it('names the message type and the bad field in its error', () => {
    const bad = parseMonitorHostMessage({ type: 'events', runId: 'r1', history: { ...compactHistory([]), others: [{ v: 1, seq: 0, ts: 'x', type: 'log' }] } });
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.error).toMatch(/'events'.*history\.others\.0/);
    const unknown = parseMonitorWebviewMessage({ type: 'explode' });
    expect(unknown.ok).toBe(false);
    expect(parseMonitorWebviewMessage('nonsense')).toMatchObject({ ok: false, error: expect.stringContaining('(no type)') });
  });

  it('rejects an action the host does not implement', () => {
    expect(parseMonitorWebviewMessage({ type: 'action', requestId: '1', action: 'rm -rf', runId: 'r' }).ok).toBe(false);
  });
});

describe('launch protocol', () => {
  it('round-trips requests and answers with their ids', () => {
    expect(parseLaunchWebviewMessage({ type: 'estimate', requestId: 'e1', config: { baseModel: 'x' } }).ok).toBe(true);
    const launched = parseLaunchHostMessage({ type: 'launchResult', requestId: 'l1', ok: true, runId: 'r', configPath: '/a.brightrun.json' });
    expect(launched).toMatchObject({ ok: true, message: { ok: true, runId: 'r' } });
    const failed = parseLaunchHostMessage({ type: 'launchResult', requestId: 'l1', ok: false, error: 'no GPU' });
    expect(failed).toMatchObject({ ok: true, message: { ok: false, problems: [] } });
  });

  it('rejects dataset statistics of the wrong shape', () => {
    const result = parseLaunchHostMessage({
      type: 'datasets',
      datasets: [{ path: 'a.jsonl', label: 'a', stats: { format: 'csv' } }],
    });
    expect(result.ok).toBe(false);
  });
});

describe('compare protocol', () => {
  it('accepts runs with configs and histories', () => {
    const run = { runId: 'a', name: null, host: 'local', state: 'completed', config: { lora: { r: 8 } }, events: sampleHistory(5), costUsd: 0.5 };
    expect(parseCompareHostMessage({ type: 'init', runs: [run] }).ok).toBe(true);
    expect(parseCompareWebviewMessage({ type: 'ready', runIds: ['a'] }).ok).toBe(true);
    expect(parseCompareWebviewMessage({ type: 'openMonitor' }).ok).toBe(false);
  });
});
