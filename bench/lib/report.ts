import type { ExchangeResult, OpenPoint } from './exchange-bench.js';
import type { JourneyBreakdown } from './journey.js';
import type { GcPauses, PhaseResult } from './phase.js';
import type { MachineInfo } from './machine.js';
import type { SoakResult } from './soak.js';
import type { StoreBenchResult } from './store-bench.js';

/** A DESIGN.md §6 budget against what this run measured; `pass` null when the run cannot tell. */
export interface Verdict {
  budget: string;
  goal: string;
  measured: string;
  pass: boolean | null;
}

const r1 = (x: number) => Math.round(x * 10) / 10;
const r2 = (x: number) => Math.round(x * 100) / 100;
const mib = (b: number) => r1(b / 2 ** 20);

export interface OpenSummary {
  rate: number;
  /** Leads the engine finished in the window (its p99 is the slowest 1% of them). */
  engineLeads: number;
  /** The raw relay (the fair baseline) at this rate. */
  relayP50: number;
  relayP99: number;
  /** Raw fan-out (second reference). */
  baselineP50: number;
  baselineP99: number;
  engineP50: number;
  engineP99: number;
  /** Engine minus the raw relay. */
  overheadP50: number;
  overheadP99: number;
  /** Engine minus the raw fan-out. */
  overheadFanoutP50: number;
  overheadFanoutP99: number;
  engineSkipped: number;
  relayEventLoopP99: number;
  /** Engine, and an idle process on the same machine over the same window (scheduling alone). */
  eventLoopP99: number;
  idleEventLoopP99: number;
  /** The engine's GC pauses over the window: how many, the longest, those over 10 ms, ms in all. */
  engineGc: GcPauses | null;
  engineCpuPct: number;
  /** Runs made (see measureSteady) and whether the kept ones were still disturbed by other work. */
  attempts: { relay: number; baseline: number; engine: number };
  disturbed: boolean;
  /** p99 of how late the load generators started leads: their own starvation on a shared box. */
  generatorLagP99: { relay: number; baseline: number; engine: number };
}

export interface ExchangeSummary {
  concurrency: number;
  relayLeadsPerSec: number;
  baselineLeadsPerSec: number;
  engineLeadsPerSec: number;
  /** Engine over the raw relay (the budget's ratio). */
  throughputRatio: number;
  /** Engine over the raw fan-out (the earlier, harsher reference). */
  fanoutRatio: number;
  /**
   * Relay CPU per lead over engine CPU per lead: the throughput ratio the two would reach with a core
   * each. On a contended machine the relay does not run its core flat out and the measured ratio says
   * more about the machine than about the engine; this one stays.
   */
  cpuRatio: number;
  /**
   * The main closed-loop pair first, then each alternating pair (`--pairs`): leads/s of each, their
   * ratio and their CPU ratio. The verdict takes the medians, `ratioMedian` and `cpuRatioMedian`.
   */
  pairs: Array<{ relayLeadsPerSec: number; engineLeadsPerSec: number; ratio: number; cpuRatio: number }>;
  ratioMedian: number;
  cpuRatioMedian: number;
  /** % of one core each process used in the closed loop (a process bound by its own loop is near 100). */
  closedCpuPct: { relay: number; engine: number };
  /** Closed-loop latency of the relay; the `closed` overheads below stay against the raw fan-out. */
  relayClosed: { p50: number; p99: number; eventLoopP99: number };
  closed: { baselineP50: number; baselineP99: number; engineP50: number; engineP99: number; overheadP50: number; overheadP99: number };
  open: OpenSummary[];
  eventLoopP99Closed: number;
  idleEventLoopP99Closed: number;
  engineGcClosed: GcPauses | null;
  engineMaxRssMiB: number;
  /** CPU one lead costs: the engine process vs the raw fan-out process, closed loop. */
  cpuMsPerLead: { engine: number; relay: number; baselineFanout: number; buyersEngine: number; buyersBaseline: number; loadClient: number };
  /** The same, main thread only (the event loop every lead waits on); null outside Linux. */
  mainThreadCpuMsPerLead: { engine: number | null; relay: number | null };
  machineBusyPct: { baselineClosed: number; engineClosed: number };
  /** Where the time goes inside the engine, per engine phase (see journey.ts). */
  journeys: Array<{ label: string; clientP50: number; clientP99: number; journey: JourneyBreakdown | null }>;
}

function summariseOpen(p: OpenPoint): OpenSummary {
  const r = p.relay.load.latency;
  const b = p.baseline.load.latency;
  const e = p.engine.load.latency;
  return {
    rate: p.rate,
    relayP50: r.p50,
    relayP99: r.p99,
    baselineP50: b.p50,
    baselineP99: b.p99,
    engineP50: e.p50,
    engineP99: e.p99,
    overheadP50: r2(e.p50 - r.p50),
    overheadP99: r2(e.p99 - r.p99),
    overheadFanoutP50: r2(e.p50 - b.p50),
    overheadFanoutP99: r2(e.p99 - b.p99),
    engineSkipped: p.engine.load.skipped,
    engineLeads: p.engine.load.completed,
    relayEventLoopP99: p.relay.eld?.p99 ?? 0,
    eventLoopP99: p.engine.eld?.p99 ?? 0,
    idleEventLoopP99: p.engine.idleEld.p99,
    engineGc: p.engine.gc ?? null,
    engineCpuPct: p.engine.cpuPct.engine ?? 0,
    attempts: { relay: p.relay.attempts ?? 1, baseline: p.baseline.attempts ?? 1, engine: p.engine.attempts ?? 1 },
    disturbed: Boolean(p.relay.disturbed || p.baseline.disturbed || p.engine.disturbed),
    generatorLagP99: { relay: p.relay.load.startLag?.p99 ?? 0, baseline: p.baseline.load.startLag?.p99 ?? 0, engine: p.engine.load.startLag?.p99 ?? 0 },
  };
}

function median(xs: number[]): number {
  const s = xs.slice().sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
}

function pairOf(relay: PhaseResult, engine: PhaseResult): ExchangeSummary['pairs'][number] {
  return {
    relayLeadsPerSec: r1(relay.load.leadsPerSec),
    engineLeadsPerSec: r1(engine.load.leadsPerSec),
    ratio: r2(engine.load.leadsPerSec / relay.load.leadsPerSec),
    cpuRatio: r2((relay.cpuMsPerLead.relay ?? 0) / Math.max(0.001, engine.cpuMsPerLead.engine ?? 0)),
  };
}

export function summariseExchange(x: ExchangeResult): ExchangeSummary {
  const rc = x.relayClosed.load;
  const bc = x.baselineClosed.load;
  const ec = x.engineClosed.load;
  const pairs = [pairOf(x.relayClosed, x.engineClosed), ...(x.pairs ?? []).map((p) => pairOf(p.relay, p.engine))];
  return {
    concurrency: bc.plan.concurrency,
    relayLeadsPerSec: r1(rc.leadsPerSec),
    baselineLeadsPerSec: r1(bc.leadsPerSec),
    engineLeadsPerSec: r1(ec.leadsPerSec),
    throughputRatio: r2(ec.leadsPerSec / rc.leadsPerSec),
    fanoutRatio: r2(ec.leadsPerSec / bc.leadsPerSec),
    cpuRatio: r2((x.relayClosed.cpuMsPerLead.relay ?? 0) / Math.max(0.001, x.engineClosed.cpuMsPerLead.engine ?? 0)),
    pairs,
    ratioMedian: r2(median(pairs.map((p) => p.ratio))),
    cpuRatioMedian: r2(median(pairs.map((p) => p.cpuRatio))),
    closedCpuPct: { relay: x.relayClosed.cpuPct.relay ?? 0, engine: x.engineClosed.cpuPct.engine ?? 0 },
    relayClosed: { p50: rc.latency.p50, p99: rc.latency.p99, eventLoopP99: x.relayClosed.eld?.p99 ?? 0 },
    closed: {
      baselineP50: bc.latency.p50, baselineP99: bc.latency.p99, engineP50: ec.latency.p50, engineP99: ec.latency.p99,
      overheadP50: r2(ec.latency.p50 - bc.latency.p50), overheadP99: r2(ec.latency.p99 - bc.latency.p99),
    },
    open: x.open.map(summariseOpen),
    eventLoopP99Closed: x.engineClosed.eld?.p99 ?? 0,
    idleEventLoopP99Closed: x.engineClosed.idleEld.p99,
    engineGcClosed: x.engineClosed.gc ?? null,
    engineMaxRssMiB: mib(x.engineMaxRssBytes),
    cpuMsPerLead: {
      engine: x.engineClosed.cpuMsPerLead.engine ?? 0,
      relay: x.relayClosed.cpuMsPerLead.relay ?? 0,
      baselineFanout: x.baselineClosed.cpuMsPerLead['load (baseline)'] ?? 0,
      buyersEngine: x.engineClosed.cpuMsPerLead.buyers ?? 0,
      buyersBaseline: x.baselineClosed.cpuMsPerLead.buyers ?? 0,
      loadClient: x.engineClosed.cpuMsPerLead['load (engine)'] ?? 0,
    },
    mainThreadCpuMsPerLead: {
      engine: x.engineClosed.mainThreadCpuMsPerLead?.engine ?? null,
      relay: x.relayClosed.mainThreadCpuMsPerLead?.relay ?? null,
    },
    machineBusyPct: { baselineClosed: x.baselineClosed.machineBusyPct, engineClosed: x.engineClosed.machineBusyPct },
    journeys: [
      { label: `closed, ${bc.plan.concurrency} in flight`, clientP50: ec.latency.p50, clientP99: ec.latency.p99, journey: x.engineClosed.journey ?? null },
      ...x.open.map((o) => ({ label: `${o.rate} leads/s`, clientP50: o.engine.load.latency.p50, clientP99: o.engine.load.latency.p99, journey: o.engine.journey ?? null })),
    ],
  };
}

/** Export memory is "constant" when ten times the rows raise the peak RSS by less than a quarter. */
export function exportIsConstant(s: StoreBenchResult): boolean {
  return s.exportFull.rssPeakSampledBytes <= s.exportSlice.rssPeakSampledBytes * 1.25;
}

export function verdicts(x: ExchangeSummary | null, s: StoreBenchResult | null, soak: SoakResult | null): Verdict[] {
  const v: Verdict[] = [];
  if (x) {
    const half = Math.max(...x.open.map((o) => o.rate));
    for (const o of x.open) {
      // DESIGN.md §6 / issue 12: < 10 ms (goal 5) at 100 leads/s, < 20 ms at half of capacity.
      const limit = o.rate === 100 ? 10 : o.rate === half && x.open.length > 1 ? 20 : null;
      const goal = limit === null ? 'reported' : limit === 10 ? '< 10 ms (goal 5)' : '< 20 ms';
      v.push({ budget: `engine overhead over the relay, p99 at ${o.rate} leads/s`, goal, measured: `${o.overheadP99} ms (engine ${o.engineP99} − relay ${o.relayP99})${o.disturbed ? ', disturbed' : ''}`, pass: o.disturbed || limit === null ? null : o.overheadP99 < limit });
    }
    // Judged only when both ran their own core flat out: otherwise the machine set the pace, not the relay.
    const saturated = x.closedCpuPct.relay >= 80 && x.closedCpuPct.engine >= 80;
    const pct = (r: number) => `${Math.round(r * 100)}%`;
    const spread = x.pairs.length > 1 ? `median of ${x.pairs.length} alternating pairs ${pct(x.ratioMedian)} (${x.pairs.map((p) => pct(p.ratio)).join(', ')}); first pair ` : '';
    v.push({
      budget: 'throughput, 10 buyers per lead',
      goal: '≥ 60% of the raw relay (goal 75%)',
      measured: `${spread}${pct(x.throughputRatio)} (${x.engineLeadsPerSec} / ${x.relayLeadsPerSec} leads/s; ${pct(x.fanoutRatio)} of raw fan-out ${x.baselineLeadsPerSec}); by CPU per lead ${pct(x.cpuRatioMedian)}${saturated ? '' : ` (relay ${x.closedCpuPct.relay}%, engine ${x.closedCpuPct.engine}% of a core: contended, judged by CPU per lead)`}`,
      pass: saturated ? x.ratioMedian >= 0.6 : x.cpuRatioMedian >= 0.6,
    });
    for (const o of x.open) {
      v.push({ budget: `event-loop delay p99 at ${o.rate} leads/s`, goal: '< 20 ms', measured: `${o.eventLoopP99} ms (idle process ${o.idleEventLoopP99} ms)`, pass: o.eventLoopP99 < 20 });
    }
    v.push({ budget: 'event-loop delay p99 at saturation', goal: '< 20 ms', measured: `${x.eventLoopP99Closed} ms (idle process ${x.idleEventLoopP99Closed} ms)`, pass: x.eventLoopP99Closed < 20 });
  }
  if (soak) {
    const first = soak.quarters[0];
    const last = soak.quarters[soak.quarters.length - 1];
    const measured = first && last ? `RSS floor ${first.rssMinMiB} → ${last.rssMinMiB} MiB, heap floor ${first.heapMinMiB} → ${last.heapMinMiB} MiB` : 'too short';
    v.push({ budget: `memory flat over ${soak.seconds} s soak`, goal: 'RSS floor within 10%', measured, pass: soak.seconds >= 300 ? soak.flat : null });
  } else if (x) {
    v.push({ budget: 'memory flat over a 10-minute soak', goal: 'no upward trend', measured: 'run `npm run bench -- --soak 600`', pass: null });
  }
  if (s) {
    const worst = Math.max(s.lookups.auditByLead.p99, s.lookups.auditByPhone.p99, s.lookups.auditByEmail.p99, s.lookups.consoleByPhone.p99);
    const at1M = s.build.events >= 1_000_000;
    v.push({ budget: `audit search, ${s.build.events.toLocaleString('en-US')} events`, goal: `< 50 ms${at1M ? '' : ' (goal is at 1M: --store)'}`, measured: `worst p99 ${worst} ms (of the four lookups)`, pass: at1M ? worst < 50 : null });
    const verify = s.lookups.verify;
    const offline = s.lookups.verifyReadOnly;
    if (verify) v.push({ budget: `whole-trail verify in a running engine, ${verify.events.toLocaleString('en-US')} events: longest event-loop block`, goal: '< 10 ms (a few ms)', measured: `${verify.maxBlockMs} ms (${verify.seconds} s in all, ${verify.ok ? 'intact' : 'FAILED'})${offline ? `; read-only store (the CLI, not a budget): ${offline.maxBlockMs} ms` : ''}`, pass: verify.ok && verify.maxBlockMs < 10 });
    const exportBlock = Math.max(s.exportSlice.maxBlockMs, s.exportFull.maxBlockMs);
    if (Number.isFinite(exportBlock)) v.push({ budget: `CSV export, ${s.exportFull.rows.toLocaleString('en-US')} rows: longest event-loop block`, goal: '< 10 ms (a few ms)', measured: `${exportBlock} ms (p99 delay ${s.exportFull.p99DelayMs} ms)`, pass: exportBlock < 10 });
    v.push({ budget: `CSV export, ${s.exportFull.rows.toLocaleString('en-US')} rows`, goal: 'streamed, constant memory', measured: `peak RSS ${mib(s.exportSlice.rssPeakSampledBytes)} MiB (${s.exportSlice.rows.toLocaleString('en-US')} rows) vs ${mib(s.exportFull.rssPeakSampledBytes)} MiB`, pass: exportIsConstant(s) });
  }
  return v;
}

/** Columns padded to their widest cell; the first row is the header. */
export function table(rows: string[][]): string {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  const line = (r: string[]) => r.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  return [line(rows[0]), widths.map((w) => '─'.repeat(w)).join('  '), ...rows.slice(1).map(line)].join('\n');
}

export function renderReport(m: MachineInfo, x: ExchangeSummary | null, s: StoreBenchResult | null, soak: SoakResult | null): string {
  const out: string[] = [];
  out.push(`Machine: ${m.nproc} cores, ${m.cpuModel}, ${m.memoryGiB} GiB, Node ${m.node}, ${m.platform}; load average at start ${m.loadAvgAtStart.join(' / ')}`);
  if (x) {
    out.push('', `Exchange: 10 instant buyers per lead; closed loop = ${x.concurrency} leads in flight; open loop = leads started at a fixed rate`);
    const rows: string[][] = [
      ['', 'raw relay', 'raw fan-out', 'engine', 'engine − relay'],
      ['closed loop leads/s', `${x.relayLeadsPerSec}`, `${x.baselineLeadsPerSec}`, `${x.engineLeadsPerSec}`, `ratio ${Math.round(x.throughputRatio * 100)}% (fan-out ${Math.round(x.fanoutRatio * 100)}%)`],
      ['closed loop p50 / p99 ms', `${x.relayClosed.p50} / ${x.relayClosed.p99}`, `${x.closed.baselineP50} / ${x.closed.baselineP99}`, `${x.closed.engineP50} / ${x.closed.engineP99}`, `${r2(x.closed.engineP50 - x.relayClosed.p50)} / ${r2(x.closed.engineP99 - x.relayClosed.p99)}`],
      ['closed loop CPU ms per lead', `${x.cpuMsPerLead.relay}`, `${x.cpuMsPerLead.baselineFanout}`, `${x.cpuMsPerLead.engine}`, `×${r1(x.cpuMsPerLead.engine / Math.max(0.001, x.cpuMsPerLead.relay))} (CPU ratio ${Math.round(x.cpuRatio * 100)}%)`],
      ['closed loop main-thread CPU ms per lead', `${x.mainThreadCpuMsPerLead.relay ?? 'n/a'}`, '', `${x.mainThreadCpuMsPerLead.engine ?? 'n/a'}`, 'event loop only (process total above)'],
      ['closed loop CPU % of a core', `${x.closedCpuPct.relay}`, '', `${x.closedCpuPct.engine}`, ''],
      ['closed loop machine busy %', '', `${x.machineBusyPct.baselineClosed}`, `${x.machineBusyPct.engineClosed}`, ''],
      ['closed loop event-loop p99 ms', `${x.relayClosed.eventLoopP99}`, '', `${x.eventLoopP99Closed}`, `idle process ${x.idleEventLoopP99Closed}`],
    ];
    if (x.engineGcClosed) rows.push(['closed loop engine GC pauses: n, max ms', '', '', `${x.engineGcClosed.count}, ${x.engineGcClosed.maxMs}`, `${x.engineGcClosed.over10ms} over 10 ms, ${x.engineGcClosed.totalMs} ms in all`]);
    for (const o of x.open) {
      rows.push([`${o.rate} leads/s p50 / p99 ms, ${o.engineLeads} leads${o.disturbed ? ' (disturbed)' : ''}`, `${o.relayP50} / ${o.relayP99}`, `${o.baselineP50} / ${o.baselineP99}`, `${o.engineP50} / ${o.engineP99}`, `${o.overheadP50} / ${o.overheadP99}`]);
      rows.push([`${o.rate} leads/s event-loop p99 ms`, `${o.relayEventLoopP99}`, '', `${o.eventLoopP99}`, `idle process ${o.idleEventLoopP99}`]);
      if (o.engineGc) rows.push([`${o.rate} leads/s engine GC pauses: n, max ms`, '', '', `${o.engineGc.count}, ${o.engineGc.maxMs}`, `${o.engineGc.over10ms} over 10 ms, ${o.engineGc.totalMs} ms in all`]);
      rows.push([`${o.rate} leads/s generator lag p99 ms, runs`, `${o.generatorLagP99.relay}, ${o.attempts.relay}`, `${o.generatorLagP99.baseline}, ${o.attempts.baseline}`, `${o.generatorLagP99.engine}, ${o.attempts.engine}`, '']);
    }
    x.pairs.slice(1).forEach((p, i) => rows.push([`pair ${i + 1}, closed loop leads/s`, `${p.relayLeadsPerSec}`, '', `${p.engineLeadsPerSec}`, `ratio ${Math.round(p.ratio * 100)}% (CPU ratio ${Math.round(p.cpuRatio * 100)}%)`]));
    rows.push(['engine peak RSS MiB', '', '', `${x.engineMaxRssMiB}`, '']);
    out.push(table(rows));
    const js = x.journeys.filter((j) => j.journey);
    if (js.length) {
      const cell = (f: (j: JourneyBreakdown) => { p50: number; p99: number }) => js.map((j) => `${f(j.journey as JourneyBreakdown).p50} / ${f(j.journey as JourneyBreakdown).p99}`);
      out.push('', 'Inside the engine, from its stored timestamps (ms, p50 / p99)');
      out.push(table([
        ['', ...js.map((j) => j.label)],
        ['intake → auction start', ...cell((j) => j.intakeToAuctionMs)],
        ['ping round (engine clock)', ...cell((j) => j.pingRoundMs)],
        ['last bid → post sent', ...cell((j) => j.bidsToPostMs)],
        ['post (engine clock)', ...cell((j) => j.postMs)],
        ['post answer → auction end', ...cell((j) => j.postToEndMs)],
        ['auction total', ...cell((j) => j.auctionMs)],
        ['client latency', ...js.map((j) => `${j.clientP50} / ${j.clientP99}`)],
      ]));
    }
  }
  if (s) {
    out.push('', `Store: ${s.build.events.toLocaleString('en-US')} audit events (${s.build.leads.toLocaleString('en-US')} leads), built in ${r1(s.build.seconds)} s, ${mib(s.build.dbBytes)} MiB`);
    const l = s.lookups;
    out.push(table([
      ['lookup (200 each, cold process)', 'p50 ms', 'p99 ms', 'max ms'],
      ['auditForLead(id)', `${l.auditByLead.p50}`, `${l.auditByLead.p99}`, `${l.auditByLead.max}`],
      ['findLeads(phone) + trail', `${l.auditByPhone.p50}`, `${l.auditByPhone.p99}`, `${l.auditByPhone.max}`],
      ['findLeads(email) + trail', `${l.auditByEmail.p50}`, `${l.auditByEmail.p99}`, `${l.auditByEmail.max}`],
      ['console leads.search + leads.get', `${l.consoleByPhone.p50}`, `${l.consoleByPhone.p99}`, `${l.consoleByPhone.max}`],
    ]));
    const e = (label: string, r: StoreBenchResult['exportFull']) => [label, r.rows.toLocaleString('en-US'), `${r1(r.seconds)}`, r.rowsPerSec.toLocaleString('en-US'), `${mib(r.rssBeforeBytes)}`, `${mib(r.rssPeakSampledBytes)}`, `${r.maxBlockMs}`];
    out.push('', table([['audit CSV export', 'rows', 's', 'rows/s', 'RSS before MiB', 'RSS peak MiB', 'longest loop block ms'], e('a tenth of the trail', s.exportSlice), e('whole trail', s.exportFull)]));
  }
  if (soak) {
    out.push('', `Soak: ${soak.rate} leads/s for ${soak.seconds} s (${r1(soak.load.leadsPerSec)} leads/s achieved, p99 ${soak.load.latency.p99} ms, ${soak.load.skipped} skipped)`);
    out.push(table([
      ['stretch', 'RSS min MiB', 'RSS max MiB', 'heap min MiB', 'heap max MiB'],
      ...soak.quarters.map((q) => [`${q.fromS}–${q.toS} s`, `${q.rssMinMiB}`, `${q.rssMaxMiB}`, `${q.heapMinMiB}`, `${q.heapMaxMiB}`]),
    ]));
    out.push('', table([['t s', 'RSS MiB', 'heap MiB', 'event-loop p99 ms', 'idle process p99 ms', 'leads/s'], ...soak.samples.map((p) => [`${p.t}`, `${p.rssMiB}`, `${p.heapUsedMiB}`, `${p.eldP99Ms}`, `${p.idleEldP99Ms}`, `${p.leadsPerSec}`])]));
  }
  const v = verdicts(x, s, soak);
  if (v.length) {
    out.push('', 'Budgets (DESIGN.md §6)');
    out.push(table([['budget', 'goal', 'measured', 'verdict'], ...v.map((b) => [b.budget, b.goal, b.measured, b.pass === null ? 'n/a' : b.pass ? 'MET' : 'MISSED'])]));
  }
  return out.join('\n');
}
