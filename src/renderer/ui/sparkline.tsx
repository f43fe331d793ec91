import { memo } from 'react';

/**
 * A tiny trend line in plain SVG (no chart library: it redraws every second on the Live screen).
 * Null points are skipped; a flat or single-point series draws a flat line in the middle.
 */
export const Sparkline = memo(function Sparkline({ values, label }: { values: Array<number | null>; label?: string }) {
  const pts = values.map((v, i) => [i, v] as const).filter((p): p is readonly [number, number] => p[1] != null && Number.isFinite(p[1]));
  if (pts.length === 0) return <svg className="sparkline" aria-hidden="true" />;
  const w = Math.max(values.length - 1, 1);
  let min = Infinity;
  let max = -Infinity;
  for (const [, v] of pts) {
    min = Math.min(min, v);
    max = Math.max(max, v);
  }
  const span = max - min;
  const points = pts.map(([i, v]) => `${((i / w) * 100).toFixed(2)},${span === 0 ? 14 : (26 - ((v - min) / span) * 24).toFixed(2)}`).join(' ');
  return (
    <svg className="sparkline" viewBox="0 0 100 28" preserveAspectRatio="none" role="img" aria-label={label ?? 'trend'}>
      <polyline points={points} />
    </svg>
  );
});
