import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { monitorEventLoopDelay, PerformanceObserver } from 'node:perf_hooks';
import { startEngine } from '../../src/engine/engine.js';
import { childArgs, processStats, serveParent } from '../lib/child.js';
import { summariseLoopDelay } from '../lib/latency.js';

/**
 * The engine as it runs in production (`startEngine`: intake listener, auctions, SQLite store,
 * metrics), alone in its process, with an event-loop delay monitor the parent reads per phase.
 */

interface Args {
  dataDir: string;
  workspaceFile: string;
  /** Sampling interval of the event-loop delay monitor. */
  eldResolutionMs?: number;
}

const args = childArgs<Args>();
// `BENCH_WRITER=main npm run bench` measures the store committing on the event loop, for comparison.
const writerThread = process.env.BENCH_WRITER !== 'main';
const engine = await startEngine({ dataDir: args.dataDir, workspaceFile: args.workspaceFile, intakeHost: '127.0.0.1', intakePort: 0, writerThread });
const eldResolutionMs = args.eldResolutionMs ?? 10;
const eld = monitorEventLoopDelay({ resolution: eldResolutionMs });
eld.enable();
/**
 * An inspector session that records from `start` until `stop`, which writes the recording to a file:
 * the CPU profiler, or the sampling heap profiler.
 */
function recorder(name: string, begin: (s: Session) => Promise<void>, end: (s: Session) => Promise<{ profile: unknown }>) {
  let session: Session | null = null;
  return {
    start: async () => {
      session = new Session();
      session.connect();
      await begin(session);
      return null;
    },
    stop: async ({ file }: { file: string }) => {
      if (!session) throw new Error(`${name}.start first`);
      const { profile } = await end(session);
      session.disconnect();
      session = null;
      writeFileSync(file, JSON.stringify(profile));
      return file;
    },
  };
}
const cpu = recorder(
  'profile',
  async (s) => {
    await s.post('Profiler.enable');
    await s.post('Profiler.setSamplingInterval', { interval: 500 });
    await s.post('Profiler.start');
  },
  (s) => s.post('Profiler.stop'),
);
// Allocations with the objects the GC already collected included: what a lead costs the young generation, not what stays alive.
const alloc = recorder(
  'alloc',
  async (s) => {
    await s.post('HeapProfiler.enable');
    await s.post('HeapProfiler.startSampling', { samplingInterval: 4096, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: true });
  },
  (s) => s.post('HeapProfiler.stopSampling'),
);
// Garbage-collection pauses of the engine's main thread since the last reset (all kinds: scavenges and
// mark-compacts), so a window's tail can be set beside them.
let gcPauses: number[] = [];
new PerformanceObserver((list) => {
  for (const e of list.getEntries()) gcPauses.push(e.duration);
}).observe({ entryTypes: ['gc'] });
const gcSummary = () => {
  const total = gcPauses.reduce((a, b) => a + b, 0);
  const r2 = (n: number) => Math.round(n * 100) / 100;
  return { count: gcPauses.length, totalMs: r2(total), maxMs: r2(gcPauses.reduce((a, b) => Math.max(a, b), 0)), over10ms: gcPauses.filter((d) => d > 10).length };
};

serveParent(
  {
    /** Starts a new measuring window for the event-loop delay. */
    'eld.reset': () => {
      eld.reset();
      gcPauses = [];
      return null;
    },
    /** Event-loop delay and GC pauses since the last reset (ms), and the process's CPU and memory so far. */
    sample: () => ({ eld: summariseLoopDelay(eld, eldResolutionMs), gc: gcSummary(), process: processStats() }),
    /** CPU profile of this process from now until `profile.stop`, which writes it to `file`. */
    'profile.start': cpu.start,
    'profile.stop': cpu.stop,
    /** Sampled allocations of this process, garbage included, from now until `alloc.stop`, which writes them to `file`. */
    'alloc.start': alloc.start,
    'alloc.stop': alloc.stop,
  },
  { intakeUrl: engine.intakeUrl, pid: process.pid },
  async () => {
    eld.disable();
    await engine.close();
  },
);
