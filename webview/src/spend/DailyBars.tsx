// The month's days as bars: cost in USD (left axis) and GPU-hours (right axis) side by side, so days of runs
// without a price still show. Theme colours, no animation.
import { Bar, BarChart, CartesianGrid, Legend, Tooltip, XAxis, YAxis } from 'recharts';
import type { SpendDay } from '../../../src/contracts/spend';
import { costText, gpuHoursText } from '../../../src/shared/spendText';
import { ChartFrame } from '../common/ChartFrame';
import type { ChartColors } from '../common/theme';

export function DailyBars({ days, colors }: { days: SpendDay[]; colors: ChartColors }) {
  const data = days.map((d) => ({ ...d, label: d.day.slice(8) }));
  const axis = { stroke: colors.grid, tick: { fill: colors.foreground, fontSize: 11 } };
  return (
    <section className="br-chart" aria-label="Spend per day">
      <h2 className="br-chart-title">Per day (UTC)</h2>
      <ChartFrame height={220}>
        {(width, height) => (
          <BarChart width={width} height={height} data={data} margin={{ top: 4, right: 4, bottom: 0, left: 4 }}>
            <CartesianGrid stroke={colors.grid} strokeDasharray="3 3" vertical={false} />
            <XAxis dataKey="label" {...axis} interval="preserveStartEnd" />
            <YAxis yAxisId="usd" {...axis} width={56} tickFormatter={(v: number) => `$${v}`} />
            <YAxis yAxisId="hours" orientation="right" {...axis} width={44} />
            <Tooltip
              isAnimationActive={false}
              contentStyle={{ background: 'var(--vscode-editorHoverWidget-background)', border: '1px solid var(--vscode-editorHoverWidget-border)' }}
              labelFormatter={(_, payload) => (payload?.[0]?.payload as SpendDay | undefined)?.day ?? ''}
              formatter={(value, name, item) => {
                const day = item.payload as SpendDay;
                return name === 'Cost' ? [costText(day), name] : [gpuHoursText(Number(value)), name];
              }}
            />
            <Legend wrapperStyle={{ color: colors.foreground }} />
            <Bar yAxisId="usd" dataKey="costUsd" name="Cost" fill={colors.series[0]} isAnimationActive={false} />
            <Bar yAxisId="hours" dataKey="gpuHours" name="GPU-hours" fill={colors.series[2]} isAnimationActive={false} />
          </BarChart>
        )}
      </ChartFrame>
    </section>
  );
}
