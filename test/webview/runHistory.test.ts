import { describe, expect, it } from 'vitest';
import { compactHistory } from '../../src/shared/monitorHistory';
import { evalSeries, RunHistory } from '../../webview/src/common/runHistory';
import { metricSeries } from './helpers';
import { sampleHistory } from './fixtures';

describe('run history', () => {
  it('extends cached series as events arrive, exactly as a fresh build would', () => {
    const all = sampleHistory(60);
    const live = new RunHistory();
    live.add(all.slice(0, 30));
    const before = metricSeries(live, 'loss').length;
    expect(before).toBeGreaterThan(0);
    live.add(all.slice(30));
    const fresh = new RunHistory();
    fresh.add(all);
    expect(metricSeries(live, 'loss')).toHaveLength(60);
    expect(metricSeries(live, 'loss')).toEqual(metricSeries(fresh, 'loss'));
    expect(metricSeries(live, 'loss', 'tokens')).toEqual(metricSeries(fresh, 'loss', 'tokens'));
  });

  it('ignores events it already has, however often they are replayed', () => {
    const history = new RunHistory();
    const all = sampleHistory(10);
    expect(history.add(all)).toBe(all.length);
    expect(history.add(all)).toBe(0);
    expect(metricSeries(history, 'loss')).toHaveLength(10);
  });

  it('replaces the steps after the checkpoint when a run is resumed', () => {
    const history = new RunHistory();
    history.add(sampleHistory(30));
    expect(metricSeries(history, 'loss')).toHaveLength(30);
    const resumed = sampleHistory(30, { startSeq: 1000 }).map((e) => (e.type === 'plan' ? { ...e, resumed_from_step: 20 } : e));
    history.add(resumed.filter((e) => e.type === 'plan' || (e.type === 'metrics' && e.step > 20) || (e.type === 'eval' && e.step > 20)));
    const steps = metricSeries(history, 'loss').map((p) => p.x);
    expect(steps).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
    expect(evalSeries(history).map((p) => p.x)).toEqual([10, 20, 30]);
  });

  it('reads a column the compact history left out as no values, and stores a value that arrives for it later', () => {
    const all = sampleHistory(20);
    const compact = compactHistory(all.filter((e) => e.type !== 'metrics' || e.step <= 10));
    expect(compact.metrics).not.toHaveProperty('gpu_util');
    const history = new RunHistory();
    history.addCompact(compact);
    expect(history.metrics.gpu_util).toEqual(new Float64Array(10).fill(Number.NaN));
    expect(history.hasValues('gpu_util')).toBe(false);
    const later = all.filter((e) => e.type === 'metrics' && e.step > 10).map((e) => ({ ...e, gpu_util: 80 }));
    history.addCompact(compactHistory(later));
    expect(history.hasValues('gpu_util')).toBe(true);
    expect(metricSeries(history, 'gpu_util').map((p) => p.x)).toEqual(Array.from({ length: 10 }, (_, i) => i + 11));
    expect([...history.compact().metrics.gpu_util!]).toEqual([...Array(10).fill(Number.NaN), ...Array(10).fill(80)]);
  });

  it('takes a compact history in exactly as the same events one by one, and gives it back compact', () => {
    const all = sampleHistory(40, { gpu: true });
    const fromEvents = new RunHistory();
    fromEvents.add(all);
    const fromColumns = new RunHistory();
    expect(fromColumns.addCompact(compactHistory(all))).toBe(all.length);
    expect(fromColumns.addCompact(compactHistory(all))).toBe(0);
    for (const key of ['loss', 'learning_rate', 'gpu_util'] as const) {
      expect(metricSeries(fromColumns, key)).toEqual(metricSeries(fromEvents, key));
    }
    expect(metricSeries(fromColumns, 'loss', 'tokens')).toEqual(metricSeries(fromEvents, 'loss', 'tokens'));
    expect(evalSeries(fromColumns)).toEqual(evalSeries(fromEvents));
    expect(fromColumns.stages).toEqual(fromEvents.stages);
    expect(fromColumns.lastMetrics).toEqual(all.filter((e) => e.type === 'metrics').pop());
    expect(fromColumns.compact()).toEqual(compactHistory(all));
    expect(fromEvents.compact()).toEqual(compactHistory(all));
  });

  it('applies a resume inside a compact history in seq order', () => {
    const first = sampleHistory(30);
    const resumed = sampleHistory(30, { startSeq: 1000 })
      .map((e) => (e.type === 'plan' ? { ...e, resumed_from_step: 20 } : e))
      .filter((e) => e.type === 'plan' || (e.type === 'metrics' && e.step > 20) || (e.type === 'eval' && e.step > 20));
    const history = new RunHistory();
    history.addCompact(compactHistory([...first, ...resumed]));
    expect(metricSeries(history, 'loss').map((p) => p.x)).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
    expect([...history.metrics.seq.slice(19, 21)]).toEqual([first.find((e) => e.type === 'metrics' && e.step === 20)?.seq, resumed[1].seq]);
    expect(evalSeries(history).map((p) => p.x)).toEqual([10, 20, 30]);
  });

  it('takes a compact history without looking rows up, yet ignores what it already has', () => {
    const all = sampleHistory(40);
    // compactHistory keeps each seq once, however often the host read it.
    const compact = compactHistory([...all, ...all.slice(10, 30)]);
    expect(compact).toEqual(compactHistory(all));
    const history = new RunHistory();
    expect(history.addCompact(compact)).toBe(all.length);
    expect(metricSeries(history, 'loss')).toHaveLength(40);
    // A live batch that overlaps the replay adds only what is new.
    const more = sampleHistory(41)
      .filter((e) => e.type === 'metrics' && e.step === 41)
      .map((e) => ({ ...e, seq: 10_000 }));
    expect(history.add([...all.slice(-5), ...more])).toBe(1);
    expect(history.size).toBe(all.length + 1);
    expect(metricSeries(history, 'loss')).toHaveLength(41);
  });

  it('takes a received history over without copying it, and never writes into it when lines are added', () => {
    const all = sampleHistory(60);
    const message = compactHistory(all.slice(0, 40));
    const loss = message.metrics.loss.slice();
    const first = new RunHistory();
    const second = new RunHistory();
    first.addCompact(message);
    second.addCompact(message);
    expect(first.metrics.loss).toBe(message.metrics.loss);
    // A series every line has a value for is the store's columns themselves.
    expect(first.seriesColumns('loss', 'step').ys).toBe(first.metrics.loss);
    // Line by line, then in one batch: the store grows into buffers of its own.
    for (const event of all.slice(40, 50)) first.add([event]);
    first.add(all.slice(50));
    expect(message.metrics.loss).toEqual(loss);
    const rows = message.metrics.seq.length;
    expect(second.metrics.seq).toHaveLength(rows);
    expect(metricSeries(second, 'loss')).toHaveLength(rows);
    const fresh = new RunHistory();
    fresh.add(all);
    expect(first.metrics).toEqual(fresh.metrics);
    expect(metricSeries(first, 'loss')).toEqual(metricSeries(fresh, 'loss'));
  });

  it('keeps its own points for a series once a line without a value arrives', () => {
    const all = sampleHistory(20);
    const history = new RunHistory();
    history.add(all.slice(0, 15));
    expect(history.seriesColumns('grad_norm', 'step').ys).toBe(history.metrics.grad_norm);
    const withGap = all.map((e) => (e.type === 'metrics' && e.step === 17 ? { ...e, grad_norm: null } : e));
    history.add(withGap.slice(15));
    const steps = metricSeries(history, 'grad_norm').map((p) => p.x);
    expect(steps).not.toContain(17);
    expect(steps).toHaveLength(history.metrics.seq.length - 1);
    const fresh = new RunHistory();
    fresh.add(withGap);
    expect(metricSeries(history, 'grad_norm')).toEqual(metricSeries(fresh, 'grad_norm'));
  });

  it('keeps the replaced steps of a resumed run seen, so a replay of them does not bring them back', () => {
    const first = sampleHistory(30);
    const resumed = sampleHistory(30, { startSeq: 1000 })
      .map((e) => (e.type === 'plan' ? { ...e, resumed_from_step: 20 } : e))
      .filter((e) => e.type === 'plan' || (e.type === 'metrics' && e.step > 20));
    const history = new RunHistory();
    history.addCompact(compactHistory([...first, ...resumed]));
    const steps = metricSeries(history, 'loss').map((p) => p.x);
    expect(history.add(first)).toBe(0);
    expect(metricSeries(history, 'loss').map((p) => p.x)).toEqual(steps);
  });
});
