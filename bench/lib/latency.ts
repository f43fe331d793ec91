import { createHistogram, type RecordableHistogram } from 'node:perf_hooks';

/** Milliseconds, rounded to 0.01 ms; what crosses process boundaries and lands in results JSON. */
export interface LatencySummary {
  count: number;
  mean: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
}

const round = (ms: number): number => Math.round(ms * 100) / 100;

/**
 * Latencies in a fixed-size HDR histogram (microsecond resolution), so a ten-minute soak records
 * millions of samples in constant memory.
 */
export class LatencyRecorder {
  private readonly h: RecordableHistogram = createHistogram();

  recordMs(ms: number): void {
    this.h.record(Math.max(1, Math.round(ms * 1000)));
  }

  get count(): number {
    return this.h.count;
  }

  reset(): void {
    this.h.reset();
  }

  summary(): LatencySummary {
    return summariseHistogram(this.h, 1000);
  }
}

/** A node histogram (in `unitsPerMs` per millisecond: 1000 for µs, 1e6 for ns) as a summary in ms. */
export function summariseHistogram(h: { count: number; mean: number; max: number; percentile(p: number): number }, unitsPerMs: number): LatencySummary {
  if (h.count === 0) return { count: 0, mean: 0, p50: 0, p90: 0, p99: 0, max: 0 };
  return {
    count: h.count,
    mean: round(h.mean / unitsPerMs),
    p50: round(h.percentile(50) / unitsPerMs),
    p90: round(h.percentile(90) / unitsPerMs),
    p99: round(h.percentile(99) / unitsPerMs),
    max: round(h.max / unitsPerMs),
  };
}

/**
 * A `monitorEventLoopDelay` histogram as delay in ms. Node records the whole interval between
 * timer ticks, so an idle loop reads as the sampling `resolutionMs`; that interval is subtracted
 * (as @fastify/under-pressure does) so the figures are how late the loop ran.
 */
export function summariseLoopDelay(h: { count: number; mean: number; max: number; percentile(p: number): number }, resolutionMs: number): LatencySummary {
  const s = summariseHistogram(h, 1e6);
  if (s.count === 0) return s;
  const less = (ms: number) => round(Math.max(0, ms - resolutionMs));
  return { count: s.count, mean: less(s.mean), p50: less(s.p50), p90: less(s.p90), p99: less(s.p99), max: less(s.max) };
}

/** Exact percentiles of a small sample (store lookups), nearest-rank. */
export function summariseSample(ms: number[]): LatencySummary {
  if (ms.length === 0) return { count: 0, mean: 0, p50: 0, p90: 0, p99: 0, max: 0 };
  const s = [...ms].sort((a, b) => a - b);
  const at = (p: number) => s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))];
  return { count: s.length, mean: round(s.reduce((a, b) => a + b, 0) / s.length), p50: round(at(50)), p90: round(at(90)), p99: round(at(99)), max: round(s[s.length - 1]) };
}
