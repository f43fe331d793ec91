import { memo, useMemo } from 'react';
import { CartesianGrid, Legend, Line, LineChart, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { ChangeView } from '../../../shared/change-views.js';
import type { TimePoint } from '../../../shared/console-api.js';
import { formatClock, formatMoney, formatMs, formatPercent } from '../../ui/format.js';

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
  /** Changes inside the chart's time span, drawn as numbered vertical lines (see the list under the charts). */
  changes: ChangeView[];
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
const TimeChart = memo(function TimeChart({ title, series, bucketMs, lines, format, axisFormat = format, testId, changes }: ChartProps) {
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
            {changes.map((c, i) => (
              <ReferenceLine key={c.seq} x={c.at} stroke="#9a6100" strokeDasharray="3 3" ifOverflow="hidden" label={{ value: String(i + 1), position: 'insideTopLeft', fontSize: 10, fill: '#9a6100' }} />
            ))}
            {lines.map((l) => (
              <Line key={l.key} type="linear" dataKey={l.key} name={l.name} stroke={l.color} fill={l.color} dot={sparse(l.key) ? { r: 3 } : false} strokeWidth={1.6} isAnimationActive={false} />
            ))}
          </LineChart>
        </ResponsiveContainer>
      </div>
    </section>
  );
});

export function ReportCharts({ series: raw, bucketMs, changes: all = [], campaignName = (id) => id }: { series: TimePoint[]; bucketMs: number; changes?: ChangeView[]; campaignName?: (id: string) => string }) {
  // Leave a gap rather than a dip where a bucket had no leads.
  const series = useMemo((): ChartPoint[] => raw.map((p) => (p.leads === 0 ? { ...p, fillRate: null } : p)), [raw]);
  // A marker outside the charted buckets would stretch the time axis: only those inside are drawn.
  const changes = useMemo(() => {
    const first = raw[0]?.t;
    const last = raw.length ? raw[raw.length - 1].t + bucketMs : undefined;
    return first === undefined || last === undefined ? [] : all.filter((c) => c.at >= first && c.at < last);
  }, [all, raw, bucketMs]);
  const common = { series, bucketMs, changes };
  return (
    <>
      <div className="grid-2" data-testid="report-charts">
        <TimeChart title="Revenue and margin" {...common} testId="chart-revenue" format={(v) => formatMoney(v)} axisFormat={compactMoney} lines={[{ key: 'revenue', name: 'Revenue', color: '#2f6fde' }, { key: 'margin', name: 'Margin', color: '#17803d' }]} />
        <TimeChart title="Fill rate" {...common} testId="chart-fill" format={(v) => formatPercent(v)} lines={[{ key: 'fillRate', name: 'Fill rate', color: '#2f6fde' }]} />
        <TimeChart title="Leads and sales" {...common} testId="chart-leads" format={(v) => String(Math.round(v))} lines={[{ key: 'leads', name: 'Leads', color: '#66707d' }, { key: 'sold', name: 'Sold', color: '#17803d' }]} />
        <TimeChart title="Auction latency" {...common} testId="chart-latency" format={(v) => formatMs(v)} lines={[{ key: 'p50LatencyMs', name: 'p50', color: '#2f6fde' }, { key: 'p99LatencyMs', name: 'p99', color: '#9a6100' }]} />
      </div>
      {changes.length > 0 && (
        <section className="panel small" data-testid="report-changes" aria-label="Changes marked on the charts">
          <h2>Changes marked on the charts</h2>
          <ol style={{ margin: 0, paddingLeft: 20 }}>
            {changes.map((c) => (
              <li key={c.seq} data-testid="report-change">
                <span className="tabular">{formatClock(c.at)}</span> {c.campaignId ? `${campaignName(c.campaignId)}: ` : ''}
                {c.summary} <span className="muted">({c.actor}{c.reason ? `; ${c.reason}` : ''})</span>
              </li>
            ))}
          </ol>
        </section>
      )}
    </>
  );
}
