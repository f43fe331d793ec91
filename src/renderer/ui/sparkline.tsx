import { memo } from 'react';

/** A vertical mark on a trend: where a floor, tier or buyer changed. */
export interface TrendMarker {
  t: number;
  label: string;
}

/**
 * A tiny trend line in plain SVG (no chart library: it redraws every second on the Live screen).
 * Null points are skipped; a flat or single-point series draws a flat line in the middle. With `times`
 * (the instant of each value) the line is drawn on a time axis and `markers` inside it are drawn as
 * vertical lines whose tooltip says what changed.
 */
export const Sparkline = memo(function Sparkline({ values, label, times, markers, until }: {
  values: Array<number | null>;
  label?: string;
  times?: number[];
  markers?: TrendMarker[];
  /** Where the time axis ends when the last value is a bucket's start (its bucket runs on to `until`). */
  until?: number;
}) {
  const pts = values.map((v, i) => [i, v] as const).filter((p): p is readonly [number, number] => p[1] != null && Number.isFinite(p[1]));
  if (pts.length === 0) return <svg className="sparkline" aria-hidden="true" />;
  const t0 = times?.[0] ?? 0;
  const t1 = Math.max(times?.[times.length - 1] ?? 0, until ?? 0);
  const timed = times !== undefined && times.length === values.length && times.length > 0 && t1 > t0;
  const x = (i: number) => (timed ? ((times[i] - t0) / (t1 - t0)) * 100 : (i / Math.max(values.length - 1, 1)) * 100);
  let min = Infinity;
  let max = -Infinity;
  for (const [, v] of pts) {
    min = Math.min(min, v);
    max = Math.max(max, v);
  }
  const span = max - min;
  const points = pts.map(([i, v]) => `${x(i).toFixed(2)},${span === 0 ? 14 : (26 - ((v - min) / span) * 24).toFixed(2)}`).join(' ');
  const shown = timed ? (markers ?? []).filter((m) => m.t >= t0 && m.t <= t1) : [];
  return (
    <svg className="sparkline" viewBox="0 0 100 28" preserveAspectRatio="none" role="img" aria-label={label ?? 'trend'}>
      <polyline points={points} />
      {shown.map((m) => {
        const mx = (((m.t - t0) / (t1 - t0)) * 100).toFixed(2);
        return (
          <g key={`${m.t}-${m.label}`} className="sparkline-marker" data-testid="sparkline-marker">
            <title>{m.label}</title>
            {/* A wide transparent stroke makes the thin line easy to hover. */}
            <line x1={mx} x2={mx} y1="0" y2="28" stroke="transparent" strokeWidth="6" />
            <line x1={mx} x2={mx} y1="0" y2="28" />
          </g>
        );
      })}
    </svg>
  );
});
