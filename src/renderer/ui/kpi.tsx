import type { ReactNode } from 'react';
import { Sparkline, type TrendMarker } from './sparkline.js';

/** A headline figure: label, value in tabular numbers, an optional note and trend (with change markers). */
export function Kpi({ label, value, sub, trend, trendTimes, trendUntil, markers, testId }: {
  label: string;
  value: ReactNode;
  sub?: ReactNode;
  trend?: Array<number | null>;
  trendTimes?: number[];
  trendUntil?: number;
  markers?: TrendMarker[];
  testId?: string;
}) {
  return (
    <div className="kpi" data-testid={testId}>
      <span className="kpi-label">{label}</span>
      <span className="kpi-value">{value}</span>
      {sub != null && <span className="kpi-sub">{sub}</span>}
      {trend && <Sparkline values={trend} label={`${label} trend`} times={trendTimes} until={trendUntil} markers={markers} />}
    </div>
  );
}
