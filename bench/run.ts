import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseBenchArgs, USAGE, type BenchArgs } from './lib/args.js';
import { BENCH_DIR } from './lib/child.js';
import { summariseProfile, type ProfileSummary } from './lib/cpu-profile.js';
import { summariseAllocations, type AllocationSummary } from './lib/alloc-profile.js';
import { runExchangeBench, type ExchangeResult } from './lib/exchange-bench.js';
import { machineInfo } from './lib/machine.js';
import { renderReport, summariseExchange, verdicts, table } from './lib/report.js';
import { runSoak, type SoakResult } from './lib/soak.js';
import { runStoreBench, type StoreBenchResult } from './lib/store-bench.js';

/**
 * `npm run bench`: the budgets of DESIGN.md §6, each measured against a baseline taken in the same
 * run on the same machine. See docs/PERFORMANCE.md for the method and the latest figures.
 */

const log = (line: string) => process.stderr.write(`${line}\n`);

function profileTable(p: ProfileSummary): string {
  return [
    `CPU profile of the engine, closed loop (${p.file}, ${p.sampledMs} ms sampled)`,
    table([['self time', 'self %'], ...p.bySelf.slice(0, 15).map((h) => [h.where, `${h.selfPct}`])]),
    '',
    table([['engine function, callees included', 'total %'], ...p.engineByTotal.slice(0, 15).map((h) => [h.where, `${h.totalPct}`])]),
  ].join('\n');
}

function allocationTable(a: AllocationSummary): string {
  const rows = (spots: AllocationSummary['byEngineFrame']) => spots.map((s) => [s.where, `${s.kibPerLead}`, `${s.pct}`]);
  return [
    `Allocations of the engine, closed loop (${a.file}): ${a.kibPerLead} KiB per lead over ${a.leads} leads, garbage included`,
    table([['innermost engine function on the stack', 'KiB / lead', '%'], ...rows(a.byEngineFrame)]),
    '',
    table([['no engine function on the stack', 'KiB / lead', '%'], ...rows(a.outsideEngine.slice(0, 8))]),
  ].join('\n');
}

async function main(args: BenchArgs): Promise<void> {
  const machine = machineInfo();
  log(`pingdesk bench: ${machine.nproc} cores, ${machine.cpuModel}, ${machine.memoryGiB} GiB, Node ${machine.node}, load average ${machine.loadAvgAtStart.join(' / ')}`);
  if (machine.loadAvgAtStart[0] > machine.nproc * 0.5) log(`  note: the machine is already busy (load ${machine.loadAvgAtStart[0]} on ${machine.nproc} cores); figures will be lower and noisier`);
  const resultsDir = path.join(BENCH_DIR, 'results');
  const profileDir = args.profile ? path.join(resultsDir, 'profiles') : undefined;
  const allocDir = args.alloc ? path.join(resultsDir, 'profiles') : undefined;
  for (const dir of [profileDir, allocDir]) if (dir) mkdirSync(dir, { recursive: true });
  const started = Date.now();

  let exchange: ExchangeResult | null = null;
  let profile: ProfileSummary | null = null;
  let allocations: AllocationSummary | null = null;
  if (args.exchange) {
    exchange = await runExchangeBench({ concurrency: args.concurrency, warmupS: args.warmupS, durationS: args.durationS, openLeads: args.openLeads, pairs: args.pairs, rate: args.rate ?? undefined, profileDir, allocDir, keepData: args.keep, log });
    if (profileDir) profile = summariseProfile(path.join(profileDir, 'engine-closed.cpuprofile'), 25);
    if (allocDir) allocations = summariseAllocations(path.join(allocDir, 'engine-closed.heapprofile'), exchange.engineClosed.load.completed);
  }
  let soak: SoakResult | null = null;
  if (args.soak !== null) {
    soak = await runSoak({ seconds: args.soak, rate: args.rate ?? 100, concurrency: Math.max(256, args.concurrency * 8), sampleEveryS: 10, keepData: args.keep, log });
  }
  let store: StoreBenchResult | null = null;
  if (args.store) store = await runStoreBench({ events: args.storeEvents, lookups: 200, keepData: args.keep, log });

  const summary = exchange ? summariseExchange(exchange) : null;
  const report = renderReport(machine, summary, store, soak);
  process.stdout.write(`\n${report}\n`);
  if (profile) process.stdout.write(`\n${profileTable(profile)}\n`);
  if (allocations) process.stdout.write(`\n${allocationTable(allocations)}\n`);

  const results = {
    machine,
    args,
    durationS: Math.round((Date.now() - started) / 1000),
    budgets: verdicts(summary, store, soak),
    exchange: summary ? { summary, phases: exchange } : null,
    store,
    soak,
    profile,
    allocations,
  };
  mkdirSync(resultsDir, { recursive: true });
  const out = args.out ? path.resolve(args.out) : path.join(resultsDir, 'latest.json');
  writeFileSync(out, `${JSON.stringify(results, null, 2)}\n`);
  // Each kind of run also keeps its own file, so a soak does not overwrite the default figures.
  const kind = soak ? 'soak' : store && store.build.events >= 1_000_000 ? 'store-1m' : 'default';
  if (!args.out) writeFileSync(path.join(resultsDir, `${kind}.json`), `${JSON.stringify(results, null, 2)}\n`);
  log(`\nresults: ${path.relative(process.cwd(), out)} (${results.durationS} s)`);
}

const parsed = (() => {
  try {
    return parseBenchArgs(process.argv.slice(2));
  } catch (err) {
    log(`${err instanceof Error ? err.message : String(err)}\n\n${USAGE}`);
    process.exit(2);
  }
})();
if (parsed === 'help') {
  log(USAGE);
} else {
  main(parsed).catch((err: unknown) => {
    log(`bench failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    process.exitCode = 1;
  });
}
