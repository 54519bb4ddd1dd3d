// The monitor's charts: loss (train and eval together, linear or log), learning rate, grad norm, throughput,
// and GPU utilisation and memory when the trainer reports them.
import { useMemo } from 'react';
import { VscodeCheckbox } from '@vscode-elements/react-elements';
import { formatCount } from '../common/format';
import { MetricChart } from '../common/MetricChart';
import { evalSeries, hasSeries, metricSeries, type RunHistory } from '../common/runHistory';
import type { ChartColors } from '../common/theme';

export function MonitorCharts(props: {
  history: RunHistory;
  version: number;
  colors: ChartColors;
  logScale: boolean;
  onLogScale: (on: boolean) => void;
}) {
  const { history, version, colors, logScale } = props;
  // Series are rebuilt only when new events arrived (version), not on every render.
  const series = useMemo(
    () => ({
      loss: metricSeries(history, 'loss'),
      evalLoss: evalSeries(history),
      lr: metricSeries(history, 'learning_rate'),
      gradNorm: metricSeries(history, 'grad_norm'),
      tokens: metricSeries(history, 'tokens_per_s'),
      gpuUtil: hasSeries(history, 'gpu_util') ? metricSeries(history, 'gpu_util') : null,
      gpuMem: hasSeries(history, 'gpu_mem_gb') ? metricSeries(history, 'gpu_mem_gb') : null,
    }),
    [history, version],
  );
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
        <MetricChart
          title="Loss"
          colors={colors}
          logScale={logScale}
          height={260}
          series={[
            { name: 'train', color: colors.train, points: series.loss },
            { name: 'eval', color: colors.eval, points: series.evalLoss, dots: true },
          ]}
        />
        <MetricChart title="Learning rate" colors={colors} series={[{ name: 'lr', color: colors.series[2], points: series.lr }]} />
        <MetricChart title="Grad norm" colors={colors} series={[{ name: 'grad norm', color: colors.series[3], points: series.gradNorm }]} />
        <MetricChart
          title="Tokens / s"
          colors={colors}
          yFormat={formatCount}
          series={[{ name: 'tokens/s', color: colors.series[5], points: series.tokens }]}
        />
        {series.gpuUtil !== null && (
          <MetricChart title="GPU utilisation (%)" colors={colors} series={[{ name: 'GPU %', color: colors.series[4], points: series.gpuUtil }]} />
        )}
        {series.gpuMem !== null && (
          <MetricChart title="GPU memory (GB)" colors={colors} series={[{ name: 'GB', color: colors.series[1], points: series.gpuMem }]} />
        )}
      </div>
    </>
  );
}
