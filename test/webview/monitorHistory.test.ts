// The compact history the monitor receives in `init`: columns built from the events, and the events back.
import { describe, expect, it } from 'vitest';
import { metricFields, MetricsEvent, type RunEvent } from '../../src/contracts/events';
import { compactHistory, emptyHistory, emptyTable, eventAt, EVALS_TABLE, METRICS_TABLE, MonitorHistory, savedForm } from '../../src/shared/monitorHistory';
import { parseMonitorHostMessage } from '../../src/shared/monitorProtocol';
import { runSummary, sampleHistory } from './fixtures';

describe('compact monitor history', () => {
  it('puts metrics and evaluations in columns and keeps the other events as they are', () => {
    const events = sampleHistory(30, { gpu: true });
    const history = compactHistory(events);
    const metrics = events.filter((e) => e.type === 'metrics');
    expect(history.metrics.step).toEqual(Float64Array.from(metrics, (m) => m.step));
    expect(history.metrics.loss).toEqual(Float64Array.from(metrics, (m) => m.loss));
    expect(history.metrics.gpu_util).toEqual(Float64Array.from(metrics, (m) => m.gpu_util ?? Number.NaN));
    expect(history.metrics.t?.[0]).toBe(Date.parse(metrics[0].ts));
    expect([...history.evals.step]).toEqual([10, 20, 30]);
    expect(history.others).toEqual(events.filter((e) => e.type !== 'metrics' && e.type !== 'eval'));
    for (const column of Object.values(history.metrics)) expect(column).toHaveLength(30);
  });

  it('gives the same events back, in seq order, whatever order they came in', () => {
    const events = sampleHistory(25, { gpu: true });
    const history = compactHistory([...events].reverse());
    expect(history).toEqual(compactHistory(events));
    const metrics = Array.from(history.metrics.seq, (_, row) => eventAt(METRICS_TABLE, history.metrics, row));
    const evals = Array.from(history.evals.seq, (_, row) => eventAt(EVALS_TABLE, history.evals, row));
    expect(metrics).toEqual(events.filter((e) => e.type === 'metrics'));
    expect(evals).toEqual(events.filter((e) => e.type === 'eval'));
  });

  it('has one column per field of the metrics schema, so a field added there is stored and read back', () => {
    const schemaFields = Object.keys(MetricsEvent.shape).filter((k) => !['v', 'seq', 'ts', 'type'].includes(k));
    expect(metricFields()).toEqual(schemaFields);
    expect(Object.keys(emptyTable(METRICS_TABLE))).toEqual(['seq', 't', ...schemaFields]);
    // Preference metrics: optional fields, stored without any list naming them here.
    const metrics: RunEvent = {
      v: 1,
      seq: 3,
      ts: '2026-01-01T10:00:00.000Z',
      type: 'metrics',
      step: 1,
      epoch: 0.1,
      loss: 0.69,
      learning_rate: 1e-5,
      tokens_per_s: 100,
      samples_per_s: 1,
      reward_margin: 0.25,
      preference_accuracy: 0.75,
    };
    const history = compactHistory([metrics]);
    expect(history.metrics.reward_margin).toEqual(Float64Array.of(0.25));
    expect(history.metrics).not.toHaveProperty('reward_chosen');
    expect(eventAt(METRICS_TABLE, history.metrics, 0)).toEqual(metrics);
    history.metrics.reward_margin![0] = Infinity;
    expect(MonitorHistory.safeParse(history).success).toBe(false);
  });

  it('writes absent optional fields as null and leaves them out again', () => {
    const metrics: RunEvent = {
      v: 1,
      seq: 7,
      ts: '2026-01-01T10:00:00.000Z',
      type: 'metrics',
      step: 3,
      epoch: 0.1,
      loss: 1.5,
      learning_rate: 1e-4,
      tokens_per_s: 900,
      samples_per_s: 2,
      grad_norm: null,
    };
    const later: RunEvent = { ...metrics, seq: 8, step: 4, grad_norm: 0.5 };
    const history = compactHistory([metrics, later]);
    expect(history.metrics.grad_norm).toEqual(Float64Array.of(Number.NaN, 0.5));
    const back = eventAt(METRICS_TABLE, history.metrics, 0);
    expect(back).not.toHaveProperty('tokens_seen');
    expect(back).not.toHaveProperty('grad_norm');
    expect(back).toMatchObject({ seq: 7, step: 3, loss: 1.5, ts: metrics.ts });
  });

  it('leaves out a nullable column that holds only nulls (read as nulls), never a required one', () => {
    const events = sampleHistory(20);
    const history = compactHistory(events);
    const sent = Object.keys(history.metrics);
    expect(sent).not.toContain('gpu_util');
    expect(sent).not.toContain('reward_margin');
    expect(sent).toEqual(expect.arrayContaining(['seq', 't', ...METRICS_TABLE.fields.filter((f) => !METRICS_TABLE.nullable.has(f))]));
    expect(MonitorHistory.safeParse(history).success).toBe(true);
    const metrics = events.filter((e) => e.type === 'metrics');
    expect(Array.from(history.metrics.seq, (_, row) => eventAt(METRICS_TABLE, history.metrics, row))).toEqual(metrics);
    const missingRequired = compactHistory(events);
    delete (missingRequired.metrics as Partial<typeof missingRequired.metrics>).loss;
    expect(MonitorHistory.safeParse(missingRequired).success).toBe(false);
  });

  it('sends every column as a Float64Array, which a structured clone copies as one block', () => {
    const history = compactHistory(sampleHistory(20, { gpu: true }));
    for (const column of [...Object.values(history.metrics), ...Object.values(history.evals)]) expect(column).toBeInstanceOf(Float64Array);
    const cloned = structuredClone(history);
    expect(cloned).toEqual(history);
    expect(MonitorHistory.parse(cloned)).toEqual(history);
  });

  it('is saved as JSON (setState) in its saved form and read back as sent', () => {
    const events = sampleHistory(20);
    const withGap = events.map((e) => (e.type === 'metrics' && e.step === 3 ? { ...e, grad_norm: null } : e));
    const history = compactHistory(withGap);
    // JSON writes a Float64Array as an object of indices: the saved form is arrays, null where a line has no value.
    expect(MonitorHistory.safeParse(JSON.parse(JSON.stringify(history))).success).toBe(false);
    const saved = JSON.parse(JSON.stringify(savedForm(history)));
    expect(saved.metrics.grad_norm[2]).toBeNull();
    expect(MonitorHistory.parse(saved)).toEqual(history);
  });

  it('accepts an empty history and rejects columns that are not finite numbers or do not line up', () => {
    expect(MonitorHistory.safeParse(emptyHistory()).success).toBe(true);
    const bad = compactHistory(sampleHistory(5));
    bad.metrics.loss[2] = Number.NaN;
    const parsed = parseMonitorHostMessage({ type: 'init', run: runSummary(), history: bad, logTail: [] });
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.error).toMatch(/'init'.*history\.metrics\.loss\.2: expected a finite number, got NaN/);
    const saved = savedForm(compactHistory(sampleHistory(5)));
    (saved.metrics.loss as unknown[])[2] = 'high';
    const savedParsed = MonitorHistory.safeParse(saved);
    expect(savedParsed.success).toBe(false);
    expect(savedParsed.error?.issues[0].message).toBe('expected a finite number, got high');
    const short = compactHistory(sampleHistory(5));
    short.metrics.step = short.metrics.step.subarray(0, 4);
    const shortParsed = parseMonitorHostMessage({ type: 'init', run: runSummary(), history: short, logTail: [] });
    expect(shortParsed.ok).toBe(false);
    if (!shortParsed.ok) expect(shortParsed.error).toMatch(/history\.metrics\.step: has 4 rows, seq has 5/);
    const gap = savedForm(compactHistory(sampleHistory(5)));
    (gap.metrics.grad_norm as unknown[])[0] = undefined;
    expect(MonitorHistory.safeParse(gap).success).toBe(false);
  });
});
