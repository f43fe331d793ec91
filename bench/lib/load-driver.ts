import { performance } from 'node:perf_hooks';
import { LatencyRecorder, type LatencySummary } from './latency.js';

/**
 * How load is offered. `closed`: `concurrency` leads always in flight (throughput at saturation).
 * `open`: leads start at a fixed `rate` whether or not earlier ones finished (latency at a load the
 * system can carry), with at most `concurrency` in flight; leads that would exceed it are skipped
 * and counted, which is the sign that the rate is too high.
 */
export interface LoadPlan {
  mode: 'closed' | 'open';
  concurrency: number;
  /** Leads per second, open mode only. */
  rate?: number;
  /** Seconds of load before measuring (connections, JIT, SQLite cache). */
  warmupS: number;
  durationS: number;
  /** Stop measuring after this many leads even if time is left. */
  maxCount?: number;
  /** First lead sequence number, so leads stay unique across phases against one engine. */
  seqStart: number;
}

export interface LoadResult {
  plan: LoadPlan;
  /** Leads finished inside the measuring window. */
  completed: number;
  elapsedS: number;
  leadsPerSec: number;
  /** Per-lead latency of leads started inside the window, from start to final answer. */
  latency: LatencySummary;
  /** Final answer per lead ("sold", "unsold", "http_409", "error:UND_ERR_SOCKET", ...). */
  outcomes: Record<string, number>;
  /** Open mode: leads not started because `concurrency` were already in flight. */
  skipped: number;
  /** Open mode: how late the generator started leads against their schedule (its own lag). */
  startLag: LatencySummary | null;
  /** Next unused sequence number. */
  nextSeq: number;
}

export type LeadTask = (seq: number) => Promise<string>;

export interface LoadProgress {
  completed: number;
  outcomes: Record<string, number>;
}

function label(err: unknown): string {
  const code = (err as { code?: unknown })?.code;
  return `error:${typeof code === 'string' ? code : err instanceof Error ? err.name : 'unknown'}`;
}

/** Runs one plan; `progress()` may be read while it runs (the soak samples it). */
export class LoadRun {
  readonly result: Promise<LoadResult>;
  private completedTotal = 0;
  private readonly outcomeTotals: Record<string, number> = {};

  constructor(private readonly plan: LoadPlan, private readonly task: LeadTask) {
    this.result = plan.mode === 'closed' ? this.closed() : this.open();
  }

  progress(): LoadProgress {
    return { completed: this.completedTotal, outcomes: { ...this.outcomeTotals } };
  }

  private async runOne(seq: number): Promise<{ outcome: string; started: number; ended: number }> {
    const started = performance.now();
    let outcome: string;
    try {
      outcome = await this.task(seq);
    } catch (err) {
      outcome = label(err);
    }
    this.completedTotal++;
    this.outcomeTotals[outcome] = (this.outcomeTotals[outcome] ?? 0) + 1;
    return { outcome, started, ended: performance.now() };
  }

  private async closed(): Promise<LoadResult> {
    const { plan } = this;
    const rec = new LatencyRecorder();
    const outcomes: Record<string, number> = {};
    const t0 = performance.now();
    const measureFrom = t0 + plan.warmupS * 1000;
    let windowEnd = measureFrom + plan.durationS * 1000;
    let seq = plan.seqStart;
    let completed = 0;
    let started = 0;
    const stop = () => performance.now() >= windowEnd || (plan.maxCount !== undefined && started >= plan.maxCount);
    const worker = async () => {
      while (!stop()) {
        const measuring = performance.now() >= measureFrom;
        if (measuring) started++;
        if (plan.maxCount !== undefined && started === plan.maxCount) windowEnd = Math.min(windowEnd, performance.now());
        const r = await this.runOne(seq++);
        if (r.ended >= measureFrom && r.ended <= windowEnd) completed++;
        if (measuring) {
          rec.recordMs(r.ended - r.started);
          outcomes[r.outcome] = (outcomes[r.outcome] ?? 0) + 1;
        }
      }
    };
    await Promise.all(Array.from({ length: plan.concurrency }, worker));
    const elapsedS = (Math.min(windowEnd, performance.now()) - measureFrom) / 1000;
    return { plan, completed, elapsedS, leadsPerSec: completed / elapsedS, latency: rec.summary(), outcomes, skipped: 0, startLag: null, nextSeq: seq };
  }

  private async open(): Promise<LoadResult> {
    const { plan } = this;
    const rate = plan.rate ?? 100;
    const intervalMs = 1000 / rate;
    const rec = new LatencyRecorder();
    const lag = new LatencyRecorder();
    const outcomes: Record<string, number> = {};
    const t0 = performance.now();
    const measureFrom = t0 + plan.warmupS * 1000;
    const windowEnd = measureFrom + plan.durationS * 1000;
    let seq = plan.seqStart;
    let scheduled = 0;
    let inFlight = 0;
    let skipped = 0;
    let completed = 0;
    let measuredStarts = 0;
    const running = new Set<Promise<void>>();

    while (performance.now() < windowEnd && (plan.maxCount === undefined || measuredStarts < plan.maxCount)) {
      const now = performance.now();
      const due = Math.floor((now - t0) / intervalMs) + 1;
      while (scheduled < due) {
        const at = t0 + scheduled * intervalMs;
        scheduled++;
        const measuring = at >= measureFrom;
        if (inFlight >= plan.concurrency) {
          if (measuring) skipped++;
          continue;
        }
        if (measuring) {
          measuredStarts++;
          lag.recordMs(now - at);
        }
        inFlight++;
        const p = this.runOne(seq++).then((r) => {
          inFlight--;
          if (r.ended >= measureFrom && r.ended <= windowEnd) completed++;
          if (measuring) {
            rec.recordMs(r.ended - r.started);
            outcomes[r.outcome] = (outcomes[r.outcome] ?? 0) + 1;
          }
        });
        running.add(p);
        void p.finally(() => running.delete(p));
      }
      await new Promise((resolve) => setTimeout(resolve, 1));
    }
    await Promise.all([...running]);
    const elapsedS = (Math.min(windowEnd, performance.now()) - measureFrom) / 1000;
    return { plan, completed, elapsedS, leadsPerSec: completed / elapsedS, latency: rec.summary(), outcomes, skipped, startLag: lag.summary(), nextSeq: seq };
  }
}
