/**
 * How much of a limit is used (caps, budgets, job progress). Without a limit (`max` null or 0) it
 * shows the bare value. Amber from 80%, red at 100%.
 */
export function UsageBar({ value, max, label, testId }: { value: number; max: number | null | undefined; label?: string; testId?: string }) {
  const ratio = max ? Math.min(value / max, 1) : 0;
  const tone = !max ? '' : value >= max ? ' bad' : ratio >= 0.8 ? ' warn' : '';
  const text = label ?? (max ? `${value} / ${max}` : `${value}`);
  return (
    <div className="stack" style={{ gap: 2 }} data-testid={testId}>
      <div className="bar" role="progressbar" aria-valuemin={0} aria-valuemax={max ?? undefined} aria-valuenow={value} aria-label={text}>
        <div className={`bar-fill${tone}`} style={{ width: `${(ratio * 100).toFixed(1)}%` }} />
      </div>
      <span className="bar-label">{text}</span>
    </div>
  );
}
