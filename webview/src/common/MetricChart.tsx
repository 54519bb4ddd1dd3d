// One line chart of one or more series on a shared numeric x axis (steps or tokens), as every panel draws
// them: theme colours, no animation (live data must not lag), optional log scale, downsampled for display.
import { memo, useMemo } from 'react';
import { CartesianGrid, Legend, Line, LineChart, Tooltip, XAxis, YAxis } from 'recharts';
import { ChartFrame } from './ChartFrame';
import { formatCount, formatMetric } from './format';
import { DISPLAY_POINTS, lttb, lttbIndices, type Point, type SeriesColumns } from './lttb';
import type { ChartColors } from './theme';

export interface ChartSeries {
  name: string;
  color: string;
  /** Points, or columns (a long series: downsampled from the columns, only the drawn points become objects). */
  points: readonly Point[] | SeriesColumns;
  dashed?: boolean;
  /** Draw a dot on every point (sparse series such as evaluations). */
  dots?: boolean;
}

export interface MetricChartProps {
  title: string;
  series: ChartSeries[];
  colors: ChartColors;
  logScale?: boolean;
  height?: number;
  xLabel?: string;
  yFormat?: (value: number) => string;
  /** Points per series after downsampling (default 2000). */
  maxPoints?: number;
}

/** Points per series on screen. bench/monitor sets window.__brightrunDisplayPoints to draw raw data as its
 *  baseline; nothing else does. */
function displayLimit(): number {
  const override = (globalThis as { __brightrunDisplayPoints?: unknown }).__brightrunDisplayPoints;
  return typeof override === 'number' && override > 0 ? override : DISPLAY_POINTS;
}

/** What is drawn for a series: positive values only on a log axis, then LTTB-reduced. Exported for tests. */
export function displayPoints(points: readonly Point[] | SeriesColumns, logScale: boolean, maxPoints = displayLimit()): Point[] {
  if (!isColumns(points)) return lttb(logScale ? points.filter((p) => p.y > 0) : points, maxPoints);
  const { xs, ys } = logScale ? positiveOnly(points) : points;
  return lttbIndices(xs, ys, maxPoints).map((i) => ({ x: xs[i], y: ys[i] }));
}

function isColumns(points: readonly Point[] | SeriesColumns): points is SeriesColumns {
  return !Array.isArray(points);
}

/** The points with y > 0; the columns themselves when all are (no copy). */
function positiveOnly(columns: SeriesColumns): SeriesColumns {
  const { xs, ys } = columns;
  if (ys.every((y) => y > 0)) return columns;
  const keptX: number[] = [];
  const keptY: number[] = [];
  for (let i = 0; i < ys.length; i++) {
    if (ys[i] > 0) {
      keptX.push(xs[i]);
      keptY.push(ys[i]);
    }
  }
  return { xs: keptX, ys: keptY };
}

/** Memoised: a panel re-renders on every status or log message, a chart only when its series change (pass
 *  series arrays that keep their identity between renders). */
export const MetricChart = memo(function MetricChart(props: MetricChartProps) {
  const { colors, logScale = false, height = 220, yFormat = formatMetric } = props;
  const drawn = useMemo(
    () =>
      props.series
        .map((s) => ({ ...s, data: displayPoints(s.points, logScale, props.maxPoints) }))
        .filter((s) => s.data.length > 0),
    [props.series, logScale, props.maxPoints],
  );
  const tick = { fill: colors.foreground, fontSize: 11 };
  return (
    <section className="br-chart" aria-label={props.title} data-log-scale={logScale ? 'true' : 'false'}>
      <h3 className="br-chart-title">{props.title}</h3>
      {drawn.length === 0 ? (
        <div className="br-chart-empty" style={{ height }}>
          No data yet
        </div>
      ) : (
        <ChartFrame height={height}>
          {(width, h) => (
            <LineChart width={width} height={h} margin={{ top: 6, right: 16, bottom: 4, left: 4 }}>
              <CartesianGrid stroke={colors.grid} strokeDasharray="3 3" />
              <XAxis
                type="number"
                dataKey="x"
                domain={['dataMin', 'dataMax']}
                tick={tick}
                stroke={colors.grid}
                tickFormatter={(v: number) => formatCount(v)}
                // Steps and tokens are whole numbers: fractional ticks would print as repeated labels (1, 2, 2, 3).
                allowDecimals={false}
                allowDuplicatedCategory={false}
                interval={0}
              />
              <YAxis
                type="number"
                scale={logScale ? 'log' : 'linear'}
                domain={['auto', 'auto']}
                allowDataOverflow={logScale}
                tick={tick}
                stroke={colors.grid}
                width={56}
                interval={0}
                tickFormatter={(v: number) => yFormat(v)}
              />
              <Tooltip
                contentStyle={{
                  background: 'var(--vscode-editorHoverWidget-background)',
                  border: '1px solid var(--vscode-editorHoverWidget-border)',
                  color: 'var(--vscode-editorHoverWidget-foreground)',
                  fontSize: 12,
                }}
                labelFormatter={(v) => `${props.xLabel ?? 'step'} ${formatCount(Number(v))}`}
                formatter={(v) => formatMetric(Number(v))}
              />
              {drawn.length > 1 && <Legend wrapperStyle={{ fontSize: 12, color: colors.foreground }} />}
              {drawn.map((s) => (
                <Line
                  key={s.name}
                  name={s.name}
                  data={s.data}
                  dataKey="y"
                  type="linear"
                  stroke={s.color}
                  strokeWidth={1.5}
                  strokeDasharray={s.dashed ? '5 3' : undefined}
                  dot={s.dots ? { r: 2.5, fill: s.color, stroke: s.color } : false}
                  activeDot={{ r: 3 }}
                  isAnimationActive={false}
                  connectNulls
                />
              ))}
            </LineChart>
          )}
        </ChartFrame>
      )}
    </section>
  );
});
