// One line chart of one or more series on a shared numeric x axis (steps or tokens), as every panel draws
// them: theme colours, no animation (live data must not lag), optional log scale, downsampled for display.
import { memo, useMemo } from 'react';
import { CartesianGrid, Legend, Line, LineChart, ReferenceLine, Tooltip, XAxis, YAxis, type BaseTickContentProps } from 'recharts';
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

/** A vertical line at an x value, with a short label (e.g. where an automatic restart resumed). */
export interface ChartMarker {
  x: number;
  label: string;
}

export interface MetricChartProps {
  title: string;
  series: ChartSeries[];
  colors: ChartColors;
  logScale?: boolean;
  height?: number;
  xLabel?: string;
  yFormat?: (value: number) => string;
  /** Points per series after downsampling (default: one per pixel of the plot's width, at most 2000). */
  maxPoints?: number;
  markers?: readonly ChartMarker[];
}

/** Pixels of a chart's width that are not plot area: the margins and the y axis below. */
const CHART_CHROME_PX = 4 + 56 + 16;

/** Points per series for a chart `width` pixels wide: one per pixel column of the plot area (LTTB keeps the shape
 *  and the extremes; more points than pixels only cost render time: a 100k-step history draws ~500 points per
 *  line instead of 2,000), never more than DISPLAY_POINTS. */
export function pointsForWidth(width: number): number {
  return Math.max(2, Math.min(DISPLAY_POINTS, Math.round(width - CHART_CHROME_PX)));
}

/** What is drawn for a series: positive values only on a log axis, then LTTB-reduced. Exported for tests. */
export function displayPoints(points: readonly Point[] | SeriesColumns, logScale: boolean, maxPoints = DISPLAY_POINTS): Point[] {
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
  let allPositive = true;
  for (let i = 0; i < ys.length && allPositive; i++) allPositive = ys[i] > 0;
  if (allPositive) return columns;
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

/** Tick labels as plain SVG text, placed as recharts places its own. Recharts' label measures each label's words in
 *  the DOM to wrap them, a forced layout per label on a first render (a third of a chart's first render); a number
 *  never wraps. */
function tickLabels(format: (value: number) => string, fill: string) {
  return function TickLabel(props: BaseTickContentProps) {
    // Recharts' offsets for a one-line label: cap height below the tick (x axis), centred on it (y axis).
    const dy = props.verticalAnchor === 'start' ? '0.71em' : props.verticalAnchor === 'middle' ? '0.355em' : '0em';
    return (
      <text x={props.x} y={props.y} dy={dy} textAnchor={props.textAnchor} fill={fill} fontSize={11} className={props.className}>
        {format(Number(props.payload.value))}
      </text>
    );
  };
}

/** Memoised: a panel re-renders on every status or log message, a chart only when its series change (pass
 *  series arrays that keep their identity between renders). */
export const MetricChart = memo(function MetricChart(props: MetricChartProps) {
  const { height = 220 } = props;
  const hasData = props.series.some((s) => (isColumns(s.points) ? s.points.ys : s.points).length > 0);
  return (
    <section className="br-chart" aria-label={props.title} data-log-scale={props.logScale ? 'true' : 'false'}>
      <h3 className="br-chart-title">{props.title}</h3>
      {!hasData ? (
        <div className="br-chart-empty" style={{ height }}>
          No data yet
        </div>
      ) : (
        <ChartFrame height={height}>{(width, h) => <Plot {...props} width={width} height={h} />}</ChartFrame>
      )}
    </section>
  );
});

/** The chart itself, once its width is known: each series downsampled to that width. */
const Plot = memo(function Plot(props: MetricChartProps & { width: number; height: number }) {
  const { colors, logScale = false, yFormat = formatMetric, width, height } = props;
  const maxPoints = props.maxPoints ?? pointsForWidth(width);
  const drawn = useMemo(
    () => props.series.map((s) => ({ ...s, data: displayPoints(s.points, logScale, maxPoints) })).filter((s) => s.data.length > 0),
    [props.series, logScale, maxPoints],
  );
  return (
    <LineChart width={width} height={height} margin={{ top: 6, right: 16, bottom: 4, left: 4 }}>
      <CartesianGrid stroke={colors.grid} strokeDasharray="3 3" />
      <XAxis
        type="number"
        dataKey="x"
        domain={['dataMin', 'dataMax']}
        tick={tickLabels(formatCount, colors.foreground)}
        stroke={colors.grid}
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
        tick={tickLabels(yFormat, colors.foreground)}
        stroke={colors.grid}
        width={56}
        interval={0}
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
      {props.markers?.map((m) => (
        <ReferenceLine
          key={`${m.x} ${m.label}`}
          x={m.x}
          stroke={colors.foreground}
          strokeDasharray="2 3"
          ifOverflow="extendDomain"
          label={{ value: m.label, position: 'insideTopLeft', fill: colors.foreground, fontSize: 11 }}
        />
      ))}
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
  );
});
