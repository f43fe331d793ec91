import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { benchWorkspace, type BuyerEndpoint } from './bench-workspace.js';
import { scratchDir, startChild, type BenchChild } from './child.js';
import type { LoadPlan } from './load-driver.js';
import { journeyBreakdown } from './journey.js';
import { measurePhase, measureSteady, type PhaseResult } from './phase.js';

export interface ExchangeOptions {
  concurrency: number;
  warmupS: number;
  durationS: number;
  /** Leads each open-loop phase measures at least. */
  openLeads: number;
  /** Extra short closed-loop windows of the relay and the engine, in alternation (0: none). */
  pairs?: number;
  /**
   * Open-loop rate for the latency comparison. Default: 50 and 100 leads/s and half of the
   * engine's closed-loop throughput.
   */
  rate?: number;
  /** Write a CPU profile of the engine's closed-loop window here (`--profile`); off by default. */
  profileDir?: string;
  /** Sample the engine's allocations over its closed-loop window into this folder (`engine-closed.heapprofile`). */
  allocDir?: string;
  keepData: boolean;
  log: (line: string) => void;
}

/** The raw relay, the raw fan-out and the engine at one offered rate. */
export interface OpenPoint {
  rate: number;
  relay: PhaseResult;
  baseline: PhaseResult;
  engine: PhaseResult;
}

/** One relay window and the engine window right after it, closed loop: a throughput ratio. */
export interface ClosedPair {
  relay: PhaseResult;
  engine: PhaseResult;
}

export interface ExchangeResult {
  buyers: number;
  dataDir: string;
  /** The raw relay of DESIGN.md §6 (bench/procs/relay.ts): the fair baseline. */
  relayClosed: PhaseResult;
  /** Raw undici fan-out, no inbound hop: the second reference. */
  baselineClosed: PhaseResult;
  engineClosed: PhaseResult;
  /**
   * The relay and the engine measured again in alternation, in shorter windows: the same ratio a few
   * more times, so that a window the machine disturbed (this box's speed moves by a third from minute
   * to minute) shows as an outlier instead of deciding the verdict.
   */
  pairs: ClosedPair[];
  /** Ascending rates. */
  open: OpenPoint[];
  /** Engine peak RSS over the whole run. */
  engineMaxRssBytes: number;
}

export interface Rig {
  buyers: BenchChild<BuyerEndpoint[]>;
  endpoints: BuyerEndpoint[];
  engine: BenchChild<{ intakeUrl: string; pid: number }>;
  dataDir: string;
  /** The engine's own data folder inside `dataDir`. */
  engineDataDir: string;
  stop(): Promise<void>;
}

/** Buyers, then an engine on a fresh data folder with a workspace pointing at them. */
export async function startRig(opts: { keepData: boolean }): Promise<Rig> {
  const buyers = startChild<BuyerEndpoint[]>('buyers', 'buyers.ts', { args: { count: 10 } });
  const endpoints = await buyers.ready;
  const scratch = scratchDir('pingdesk-bench-', opts.keepData);
  const dataDir = scratch.dir;
  const workspaceFile = path.join(dataDir, 'bench-workspace.json');
  writeFileSync(workspaceFile, JSON.stringify(benchWorkspace(endpoints), null, 2));
  const engineDataDir = path.join(dataDir, 'data');
  // `BENCH_ENGINE_FLAGS="--max-semi-space-size=32"` passes V8/Node flags to the engine's process only (GC experiments).
  const engineFlags = (process.env.BENCH_ENGINE_FLAGS ?? '').split(/\s+/).filter(Boolean);
  const engine = startChild<{ intakeUrl: string; pid: number }>('engine', 'engine.ts', { args: { dataDir: engineDataDir, workspaceFile }, nodeFlags: engineFlags });
  await engine.ready;
  return {
    buyers,
    endpoints,
    engine,
    dataDir,
    engineDataDir,
    async stop() {
      await engine.stop(60_000);
      await buyers.stop();
      scratch.remove();
    },
  };
}

/**
 * Throughput and latency of the engine against the raw relay (the fair baseline: it also receives
 * the lead over HTTP and answers it) and the raw undici fan-out of the same work, measured in the
 * same run against the same buyer process: first each at a fixed concurrency (throughput at
 * saturation), then each at fixed rates below saturation (latency at an offered load).
 */
export async function runExchangeBench(opts: ExchangeOptions): Promise<ExchangeResult> {
  const { log } = opts;
  const rig = await startRig(opts);
  const { intakeUrl } = await rig.engine.ready;
  const relay = startChild<{ intakeUrl: string; pid: number }>('relay', 'relay.ts', { args: { buyers: rig.endpoints } });
  const relayUrl = (await relay.ready).intakeUrl;
  const baseline = startChild('load (baseline)', 'load.ts', { args: { mode: 'baseline', buyers: rig.endpoints } });
  const relayClient = startChild('load (relay)', 'load.ts', { args: { mode: 'relay', buyers: rig.endpoints, intakeUrl: relayUrl } });
  const client = startChild('load (engine)', 'load.ts', { args: { mode: 'engine', buyers: rig.endpoints, intakeUrl } });
  const stopLoads = () => Promise.all([baseline.stop(), relayClient.stop(), client.stop(), relay.stop()]);
  try {
    await Promise.all([baseline.ready, relayClient.ready, client.ready]);
    let seq = 0;
    const closed = (): LoadPlan => ({ mode: 'closed', concurrency: opts.concurrency, warmupS: opts.warmupS, durationS: opts.durationS, seqStart: seq });
    log(`exchange: 10 buyers (pid ${rig.buyers.pid}), relay (pid ${relay.pid}) on ${relayUrl}, engine (pid ${rig.engine.pid}) on ${intakeUrl}`);

    const relayClosed = await measurePhase('relay, closed loop', relayClient, closed(), [rig.buyers, relayClient, relay], relay, log);
    const baselineClosed = await measurePhase('baseline, closed loop', baseline, closed(), [rig.buyers, baseline], null, log);
    const profile = (name: string) => (opts.profileDir ? path.join(opts.profileDir, `${name}.cpuprofile`) : undefined);
    const allocFile = opts.allocDir ? path.join(opts.allocDir, 'engine-closed.heapprofile') : undefined;
    const engineClosed = await measurePhase('engine, closed loop', client, closed(), [rig.buyers, client, rig.engine], rig.engine, log, profile('engine-closed'), allocFile);
    seq = engineClosed.load.nextSeq;

    const pairs: ClosedPair[] = [];
    const pairS = Math.max(4, Math.round(opts.durationS / 2));
    for (let i = 0; i < (opts.pairs ?? 0); i++) {
      const short = (seqStart: number): LoadPlan => ({ mode: 'closed', concurrency: opts.concurrency, warmupS: 1, durationS: pairS, seqStart });
      const relayWindow = await measurePhase(`pair ${i + 1}: relay, closed loop`, relayClient, short(0), [rig.buyers, relayClient, relay], relay, log);
      const engineWindow = await measurePhase(`pair ${i + 1}: engine, closed loop`, client, short(seq), [rig.buyers, client, rig.engine], rig.engine, log);
      seq = engineWindow.load.nextSeq;
      pairs.push({ relay: relayWindow, engine: engineWindow });
    }

    const half = Math.max(10, Math.round((engineClosed.load.leadsPerSec * 0.5) / 10) * 10);
    const rates = opts.rate ? [opts.rate] : [...new Set([50, 100, half])].sort((a, b) => a - b);
    const open: OpenPoint[] = [];
    for (const rate of rates) {
      // Enough room in flight that a stall shows up as latency, not as skipped leads.
      const plan = (): LoadPlan => ({ mode: 'open', rate, concurrency: Math.max(256, opts.concurrency * 8), warmupS: Math.min(2, opts.warmupS), durationS: Math.max(5, Math.round(opts.durationS * 0.7), Math.ceil(opts.openLeads / rate)), seqStart: seq });
      const r = await measureSteady('relay, open loop', relayClient, plan(), [rig.buyers, relayClient, relay], relay, log);
      const b = await measureSteady('baseline, open loop', baseline, plan(), [rig.buyers, baseline], null, log);
      // Not profiled: starting V8's profiler stalls the engine, which would show in these tails.
      const e = await measureSteady('engine, open loop', client, plan(), [rig.buyers, client, rig.engine], rig.engine, log);
      seq = e.load.nextSeq;
      open.push({ rate, relay: r, baseline: b, engine: e });
    }
    const final = await rig.engine.call<{ process: { maxRssBytes: number } }>('sample');
    await stopLoads();
    await rig.engine.stop(60_000);
    for (const phase of [engineClosed, ...open.map((o) => o.engine)]) {
      phase.journey = journeyBreakdown(rig.engineDataDir, phase.windowStartMs, phase.windowEndMs);
    }
    return { buyers: rig.endpoints.length, dataDir: rig.dataDir, relayClosed, baselineClosed, engineClosed, pairs, open, engineMaxRssBytes: final.process.maxRssBytes };
  } finally {
    await stopLoads();
    await rig.stop();
  }
}
