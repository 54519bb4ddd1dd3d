// The monitor's charts: loss (train and eval together, linear or log), learning rate, grad norm, throughput,
// and GPU utilisation and memory when the trainer reports them.
import { useDeferredValue, useMemo } from 'react';
import { VscodeCheckbox } from '@vscode-elements/react-elements';
import { formatCount } from '../common/format';
import { MetricChart } from '../common/MetricChart';
import { evalSeries, hasSeries, metricColumns, type RunHistory } from '../common/runHistory';
import type { ChartColors } from '../common/theme';
import { useThrottledValue } from '../common/useThrottledValue';

const SECONDARY_REFRESH_MS = 1000;

export function MonitorCharts(props: {
  history: RunHistory;
  version: number;
  colors: ChartColors;
  logScale: boolean;
  onLogScale: (on: boolean) => void;
}) {
  const { history, version, colors, logScale } = props;
  // Series are rebuilt only when new events arrived (version), and keep their identity otherwise, so the
  // memoised charts skip the re-renders caused by status and log messages. The loss chart follows every event;
  // the others at most once a second: each chart costs a full recharts render, and a live run can log several
  // steps a second.
  // A newly replayed history (init, possibly 100k steps) reaches them one deferred render later, so the loss
  // chart paints first and the others fill in without holding it up.
  const secondaryVersion = useThrottledValue(version, SECONDARY_REFRESH_MS, history);
  const secondaryHistory = useDeferredValue(history);
  const loss = useMemo(
    () => [
      { name: 'train', color: colors.train, points: metricColumns(history, 'loss') },
      { name: 'eval', color: colors.eval, points: evalSeries(history), dots: true },
    ],
    [history, version, colors], // `version` signals that the (mutable) history changed
  );
  const series = useMemo(() => {
    const gpuUtil = hasSeries(secondaryHistory, 'gpu_util') ? metricColumns(secondaryHistory, 'gpu_util') : null;
    const gpuMem = hasSeries(secondaryHistory, 'gpu_mem_gb') ? metricColumns(secondaryHistory, 'gpu_mem_gb') : null;
    return {
      lr: [{ name: 'lr', color: colors.series[2], points: metricColumns(secondaryHistory, 'learning_rate') }],
      gradNorm: [{ name: 'grad norm', color: colors.series[3], points: metricColumns(secondaryHistory, 'grad_norm') }],
      tokens: [{ name: 'tokens/s', color: colors.series[5], points: metricColumns(secondaryHistory, 'tokens_per_s') }],
      gpuUtil: gpuUtil === null ? null : [{ name: 'GPU %', color: colors.series[4], points: gpuUtil }],
      gpuMem: gpuMem === null ? null : [{ name: 'GB', color: colors.series[1], points: gpuMem }],
    };
  }, [secondaryHistory, secondaryVersion, colors]);
  return (
    <>
      <div className="br-toggle" style={{ marginBottom: 8 }}>
        <VscodeCheckbox
          checked={logScale}
          label="Log scale (loss)"
          data-testid="log-scale"
          onChange={(e) => props.onLogScale((e.target as HTMLInputElement).checked)}
        />
      </div>
      <div className="br-grid">
        <MetricChart title="Loss" colors={colors} logScale={logScale} height={260} series={loss} />
        <MetricChart title="Learning rate" colors={colors} series={series.lr} />
        <MetricChart title="Grad norm" colors={colors} series={series.gradNorm} />
        <MetricChart title="Tokens / s" colors={colors} yFormat={formatCount} series={series.tokens} />
        {series.gpuUtil !== null && <MetricChart title="GPU utilisation (%)" colors={colors} series={series.gpuUtil} />}
        {series.gpuMem !== null && <MetricChart title="GPU memory (GB)" colors={colors} series={series.gpuMem} />}
      </div>
    </>
  );
}
