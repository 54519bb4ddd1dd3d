// The monitor's charts, one per entry of the chart list (common/charts.ts): loss (train and eval together, linear
// or log), learning rate, grad norm, throughput, and the charts of metrics the trainer reports only for some runs
// (GPU, preference methods), each shown once the run has a value for it.
import { useDeferredValue, useMemo } from 'react';
import { VscodeCheckbox } from '@vscode-elements/react-elements';
import { CHARTS, seriesColor, type ChartSpec } from '../common/charts';
import { formatCount } from '../common/format';
import { MetricChart, type ChartSeries } from '../common/MetricChart';
import { fieldSeries, hasFieldValues, type RunHistory } from '../common/runHistory';
import type { ChartColors } from '../common/theme';
import { useThrottledValue } from '../common/useThrottledValue';
import { attemptMarkers } from './attemptMarkers';

const SECONDARY_REFRESH_MS = 1000;
const [FIRST_CHART, ...OTHER_CHARTS] = CHARTS;

/** The series of a chart for this run; null when the run has no value for any of its fields (not shown). */
function chartSeries(spec: ChartSpec, history: RunHistory, colors: ChartColors): ChartSeries[] | null {
  if (!spec.alwaysShown && !spec.series.some((s) => hasFieldValues(history, s.of))) return null;
  return spec.series.map((s) => ({
    name: s.name,
    color: seriesColor(colors, s.color),
    points: fieldSeries(history, s.of),
    // Evaluations are sparse: a dot on each.
    dots: s.of.source === 'eval',
  }));
}

export function MonitorCharts(props: { history: RunHistory; version: number; colors: ChartColors; logScale: boolean; onLogScale: (on: boolean) => void }) {
  const { history, version, colors, logScale } = props;
  // Series are rebuilt only when new events arrived (version), and keep their identity otherwise, so the
  // memoised charts skip the re-renders caused by status and log messages. The first chart (loss) follows every
  // event; the others at most once a second: each chart costs a full render, and a live run can log several
  // steps a second.
  // A newly replayed history (init, possibly 100k steps) reaches them one deferred render later, so the loss
  // chart paints first and the others fill in without holding it up.
  const secondaryVersion = useThrottledValue(version, SECONDARY_REFRESH_MS, history);
  const secondaryHistory = useDeferredValue(history);
  const firstSeries = useMemo(
    () => chartSeries(FIRST_CHART, history, colors),
    // `version` signals that the (mutable) history changed.
    // eslint-disable-next-line react-hooks/exhaustive-deps -- a dependency the hook cannot see
    [history, version, colors],
  );
  const restSeries = useMemo(
    () => OTHER_CHARTS.map((spec) => chartSeries(spec, secondaryHistory, colors)),
    // eslint-disable-next-line react-hooks/exhaustive-deps -- `secondaryVersion` signals that the (mutable) history changed
    [secondaryHistory, secondaryVersion, colors],
  );
  const charts = [firstSeries, ...restSeries];
  // eslint-disable-next-line react-hooks/exhaustive-deps -- `version` signals that the (mutable) history changed
  const markers = useMemo(() => attemptMarkers(history), [history, version]);
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
        {CHARTS.map((spec, i) => {
          const series = charts[i];
          if (series === null) return null;
          return (
            <MetricChart
              key={spec.title}
              title={spec.title}
              colors={colors}
              logScale={spec.logScalable === true && logScale}
              height={i === 0 ? 260 : undefined}
              yFormat={spec.yFormat === 'count' ? formatCount : undefined}
              series={series}
              markers={i === 0 ? markers : undefined}
            />
          );
        })}
      </div>
    </>
  );
}
