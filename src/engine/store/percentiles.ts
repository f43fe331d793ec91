/** A latency histogram: value (in units of `resolutionMs`) → count. */
export interface HistogramBin {
  v: number;
  n: number;
}

/**
 * Nearest-rank percentile over histogram bins (any order). Histograms come from GROUP BY in SQL, so
 * memory is bounded by distinct latency values, not by the number of auctions.
 */
export function percentileOf(bins: HistogramBin[], p: number, resolutionMs: number): number | null {
  let total = 0;
  for (const b of bins) total += b.n;
  if (total === 0) return null;
  const sorted = [...bins].sort((a, b) => a.v - b.v);
  const rank = Math.max(1, Math.ceil(p * total));
  let seen = 0;
  for (const b of sorted) {
    seen += b.n;
    if (seen >= rank) return b.v * resolutionMs;
  }
  return sorted[sorted.length - 1].v * resolutionMs;
}
