import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { startChild } from './child.js';
import { startRig } from './exchange-bench.js';
import type { LoadPlan, LoadProgress, LoadResult } from './load-driver.js';
import { summariseLoopDelay } from './latency.js';
import type { EngineSample } from './phase.js';

export interface SoakOptions {
  seconds: number;
  rate: number;
  concurrency: number;
  sampleEveryS: number;
  keepData: boolean;
  log: (line: string) => void;
}

export interface SoakSample {
  /** Seconds since the load started. */
  t: number;
  rssMiB: number;
  heapUsedMiB: number;
  /** Event-loop delay p99 inside the engine over this sample's interval. */
  eldP99Ms: number;
  /** The same for this idle orchestrating process: the machine's own scheduling noise. */
  idleEldP99Ms: number;
  leadsPerSec: number;
}

/** One stretch of the soak. Floors (minimums) move with retained memory; peaks move with GC timing. */
export interface SoakQuarter {
  fromS: number;
  toS: number;
  rssMinMiB: number;
  rssMaxMiB: number;
  heapMinMiB: number;
  heapMaxMiB: number;
}

export interface MemoryTrend {
  /** The samples after the first minute (warm-up: JIT, pools, SQLite cache) in four stretches. */
  quarters: SoakQuarter[];
  /** Least-squares slope of RSS over those samples; noisy, since RSS follows the GC sawtooth. */
  rssSlopeMiBPerMin: number;
  /** The last stretch's RSS floor is within 10% of the first's. */
  flat: boolean;
}

export interface SoakResult extends MemoryTrend {
  seconds: number;
  rate: number;
  samples: SoakSample[];
  load: LoadResult;
  rssMaxMiB: number;
  engineMaxRssMiB: number;
}

const mib = (b: number) => Math.round((b / 2 ** 20) * 10) / 10;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The memory trend of soak samples (exported so saved samples can be re-read). */
export function memoryTrend(samples: SoakSample[]): MemoryTrend {
  const settled = samples.filter((s) => s.t > 60);
  const steady = settled.length >= 4 ? settled : samples;
  const n = Math.max(1, Math.floor(steady.length / 4));
  const quarters: SoakQuarter[] = [];
  for (let q = 0; q < 4 && q * n < steady.length; q++) {
    const part = q === 3 ? steady.slice(q * n) : steady.slice(q * n, (q + 1) * n);
    quarters.push({
      fromS: part[0].t,
      toS: part[part.length - 1].t,
      rssMinMiB: Math.min(...part.map((s) => s.rssMiB)),
      rssMaxMiB: Math.max(...part.map((s) => s.rssMiB)),
      heapMinMiB: Math.min(...part.map((s) => s.heapUsedMiB)),
      heapMaxMiB: Math.max(...part.map((s) => s.heapUsedMiB)),
    });
  }
  const first = quarters[0];
  const last = quarters[quarters.length - 1];
  return {
    quarters,
    rssSlopeMiBPerMin: slopePerMin(steady.map((s) => ({ t: s.t, y: s.rssMiB }))),
    flat: Boolean(first && last && last.rssMinMiB <= first.rssMinMiB * 1.1),
  };
}

function slopePerMin(points: Array<{ t: number; y: number }>): number {
  if (points.length < 2) return 0;
  const n = points.length;
  const mt = points.reduce((a, p) => a + p.t, 0) / n;
  const my = points.reduce((a, p) => a + p.y, 0) / n;
  const num = points.reduce((a, p) => a + (p.t - mt) * (p.y - my), 0);
  const den = points.reduce((a, p) => a + (p.t - mt) ** 2, 0);
  return den === 0 ? 0 : Math.round((num / den) * 60 * 100) / 100;
}

/**
 * Steady load at a fixed rate for `seconds`, sampling the engine's memory and event-loop delay every
 * `sampleEveryS`: a leak shows as RSS that keeps climbing after the first minute's warm-up (SQLite
 * cache, JIT, connection pools).
 */
export async function runSoak(opts: SoakOptions): Promise<SoakResult> {
  const { log } = opts;
  const rig = await startRig(opts);
  const { intakeUrl } = await rig.engine.ready;
  const client = startChild('load (engine)', 'load.ts', { args: { mode: 'engine', buyers: rig.endpoints, intakeUrl } });
  try {
    await client.ready;
    log(`soak: ${opts.rate} leads/s for ${opts.seconds} s, engine pid ${rig.engine.pid}, sampling every ${opts.sampleEveryS} s`);
    const plan: LoadPlan = { mode: 'open', rate: opts.rate, concurrency: opts.concurrency, warmupS: 0, durationS: opts.seconds, seqStart: 0 };
    const running = client.call<LoadResult>('run', plan);
    let finished = false;
    void running.finally(() => (finished = true)).catch(() => undefined);
    const t0 = performance.now();
    const samples: SoakSample[] = [];
    let lastCompleted = 0;
    let lastT = 0;
    await rig.engine.call('eld.reset');
    const idle = monitorEventLoopDelay({ resolution: 10 });
    idle.enable();
    while (!finished) {
      const nextAt = t0 + (samples.length + 1) * opts.sampleEveryS * 1000;
      await Promise.race([sleep(Math.max(0, nextAt - performance.now())), running.catch(() => undefined)]);
      if (finished) break;
      const [engine, progress] = await Promise.all([rig.engine.call<EngineSample>('sample'), client.call<LoadProgress>('progress')]);
      await rig.engine.call('eld.reset');
      const idleEldP99Ms = summariseLoopDelay(idle, 10).p99;
      idle.reset();
      const t = (performance.now() - t0) / 1000;
      const s: SoakSample = {
        t: Math.round(t),
        rssMiB: mib(engine.process.rssBytes),
        heapUsedMiB: mib(engine.process.heapUsedBytes),
        eldP99Ms: engine.eld.p99,
        idleEldP99Ms,
        leadsPerSec: Math.round((progress.completed - lastCompleted) / (t - lastT)),
      };
      lastCompleted = progress.completed;
      lastT = t;
      samples.push(s);
      log(`    t=${s.t}s RSS ${s.rssMiB} MiB, heap ${s.heapUsedMiB} MiB, event-loop p99 ${s.eldP99Ms} ms (idle process ${s.idleEldP99Ms} ms), ${s.leadsPerSec} leads/s`);
    }
    idle.disable();
    const load = await running;
    const final = await rig.engine.call<EngineSample>('sample');
    return {
      seconds: opts.seconds,
      rate: opts.rate,
      samples,
      load,
      ...memoryTrend(samples),
      rssMaxMiB: Math.max(0, ...samples.map((s) => s.rssMiB)),
      engineMaxRssMiB: mib(final.process.maxRssBytes),
    };
  } finally {
    await client.stop();
    await rig.stop();
  }
}
