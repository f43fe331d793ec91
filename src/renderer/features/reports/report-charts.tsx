import { memo, useMemo } from 'react';
import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { TimePoint } from '../../../shared/console-api.js';
import { formatMoney, formatMs, formatPercent } from '../../ui/format.js';

const DAY = 86_400_000;

/** A time point as charted: a bucket without leads has no fill rate rather than 0%. */
type ChartPoint = Omit<TimePoint, 'fillRate'> & { fillRate: number | null };

function tickFormatter(bucketMs: number) {
  return (t: number) => {
    const d = new Date(t);
    const hm = `${String(d.getHours()).padStart(2, '0')}:${String(d.getMinutes()).padStart(2, '0')}`;
    return bucketMs >= DAY / 4 ? `${d.getMonth() + 1}/${d.getDate()}` : bucketMs >= 30 * 60_000 ? `${d.getMonth() + 1}/${d.getDate()} ${hm}` : hm;
  };
}

interface ChartProps {
  title: string;
  series: ChartPoint[];
  bucketMs: number;
  lines: Array<{ key: keyof ChartPoint; name: string; color: string }>;
  format: (v: number) => string;
  /** Axis ticks: shorter than `format` where needed ("$18k" rather than "$18,000.00"). */
  axisFormat?: (v: number) => string;
  testId: string;
}

/** Dollars on an axis: "$950", "$18k", "$1.2M" — whole, short, never cut. */
export function compactMoney(v: number): string {
  const abs = Math.abs(v);
  const sign = v < 0 ? '-' : '';
  if (abs >= 1_000_000) return `${sign}$${trim(abs / 1_000_000)}M`;
  if (abs >= 1_000) return `${sign}$${trim(abs / 1_000)}k`;
  return `${sign}$${trim(abs)}`;
}

function trim(n: number): string {
  return n >= 100 ? String(Math.round(n)) : String(Math.round(n * 10) / 10);
}

/** Room for the longest tick label (11px digits are about 7px wide), so none is cut. */
function axisWidth(series: ChartPoint[], lines: ChartProps['lines'], fmt: (v: number) => string): number {
  let longest = 3;
  for (const p of series) for (const l of lines) {
    const v = p[l.key];
    if (typeof v === 'number') longest = Math.max(longest, fmt(v).length, fmt(v * 1.25).length);
  }
  return Math.min(120, 16 + longest * 7);
}

/** One time chart; animation is off so a reload redraws at once and screenshots are stable. */
const TimeChart = memo(function TimeChart({ title, series, bucketMs, lines, format, axisFormat = format, testId }: ChartProps) {
  const fmtTick = tickFormatter(bucketMs);
  // A series with only a point or two draws no visible line: show its dots then.
  const sparse = (key: keyof ChartPoint) => series.filter((p) => p[key] != null).length < 3;
  return (
    <section className="panel" data-testid={testId}>
      <h2>{title}</h2>
      <div className="chart">
        <ResponsiveContainer width="100%" height="100%">
          <LineChart data={series} margin={{ top: 4, right: 8, bottom: 0, left: 0 }}>
            <CartesianGrid stroke="#eceef1" vertical={false} />
            <XAxis dataKey="t" type="number" scale="time" domain={['dataMin', 'dataMax']} tickFormatter={fmtTick} fontSize={11} stroke="#8a93a0" />
            <YAxis tickFormatter={axisFormat} fontSize={11} width={axisWidth(series, lines, axisFormat)} stroke="#8a93a0" />
            <Tooltip labelFormatter={(t) => new Date(Number(t)).toLocaleString()} formatter={(v) => (typeof v === 'number' ? format(v) : String(v))} />
            {lines.length > 1 && <Legend wrapperStyle={{ fontSize: 12 }} />}
            {lines.map((l) => (
              <Line key={l.key} type="linear" dataKey={l.key} name={l.name} stroke={l.color} fill={l.color} dot={sparse(l.key) ? { r: 3 } : false} strokeWidth={1.6} isAnimationActive={false} />
            ))}
          </LineChart>
        </ResponsiveContainer>
      </div>
    </section>
  );
});

export function ReportCharts({ series: raw, bucketMs }: { series: TimePoint[]; bucketMs: number }) {
  // Leave a gap rather than a dip where a bucket had no leads.
  const series = useMemo((): ChartPoint[] => raw.map((p) => (p.leads === 0 ? { ...p, fillRate: null } : p)), [raw]);
  return (
    <div className="grid-2" data-testid="report-charts">
      <TimeChart title="Revenue and margin" series={series} bucketMs={bucketMs} testId="chart-revenue" format={(v) => formatMoney(v)} axisFormat={compactMoney} lines={[{ key: 'revenue', name: 'Revenue', color: '#2f6fde' }, { key: 'margin', name: 'Margin', color: '#17803d' }]} />
      <TimeChart title="Fill rate" series={series} bucketMs={bucketMs} testId="chart-fill" format={(v) => formatPercent(v)} lines={[{ key: 'fillRate', name: 'Fill rate', color: '#2f6fde' }]} />
      <TimeChart title="Leads and sales" series={series} bucketMs={bucketMs} testId="chart-leads" format={(v) => String(Math.round(v))} lines={[{ key: 'leads', name: 'Leads', color: '#66707d' }, { key: 'sold', name: 'Sold', color: '#17803d' }]} />
      <TimeChart title="Auction latency" series={series} bucketMs={bucketMs} testId="chart-latency" format={(v) => formatMs(v)} lines={[{ key: 'p50LatencyMs', name: 'p50', color: '#2f6fde' }, { key: 'p99LatencyMs', name: 'p99', color: '#9a6100' }]} />
    </div>
  );
}
