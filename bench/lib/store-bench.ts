import { rmSync } from 'node:fs';
import path from 'node:path';
import type { BuildArgs, BuildResult } from '../procs/store-build.js';
import type { ExportArgs, ExportResult } from '../procs/store-export.js';
import type { QueryArgs, QueryResult } from '../procs/store-query.js';
import { scratchDir, startChild } from './child.js';

export interface StoreBenchOptions {
  events: number;
  /** Lookups per kind (by lead, phone, email, console). */
  lookups: number;
  keepData: boolean;
  log: (line: string) => void;
}

export interface StoreBenchResult {
  build: Omit<BuildResult, 'samples'>;
  lookups: QueryResult;
  /** The same export over about a tenth of the trail and over all of it. */
  exportSlice: ExportResult;
  exportFull: ExportResult;
}

/** Builds a store of `events` audit events, then times compliance lookups and a full CSV export. */
export async function runStoreBench(opts: StoreBenchOptions): Promise<StoreBenchResult> {
  const { log } = opts;
  const scratch = scratchDir('pingdesk-bench-store-', opts.keepData);
  const dir = scratch.dir;
  const dataDir = path.join(dir, 'data');
  try {
    log(`store: building ${opts.events.toLocaleString('en-US')} audit events in ${dataDir} ...`);
    const builder = startChild('store build', 'store-build.ts');
    const built = await builder.call<BuildResult>('build', { dataDir, events: opts.events, samples: opts.lookups * 4 } satisfies BuildArgs);
    await builder.stop();
    const { samples, ...build } = built;
    log(`    ${build.leads.toLocaleString('en-US')} leads, ${build.events.toLocaleString('en-US')} events in ${build.seconds.toFixed(1)} s (${build.eventsPerSec.toLocaleString('en-US')} events/s), ${(build.dbBytes / 2 ** 20).toFixed(0)} MiB`);

    log(`  lookups: ${opts.lookups} per kind ...`);
    const querier = startChild('store query', 'store-query.ts');
    const lookups = await querier.call<QueryResult>('query', { dataDir, samples } satisfies QueryArgs);
    await querier.stop();
    log(`    by lead p50 ${lookups.auditByLead.p50} / p99 ${lookups.auditByLead.p99} ms; by phone ${lookups.auditByPhone.p50} / ${lookups.auditByPhone.p99} ms; by email ${lookups.auditByEmail.p50} / ${lookups.auditByEmail.p99} ms; console ${lookups.consoleByPhone.p50} / ${lookups.consoleByPhone.p99} ms`);
    const said = (v: typeof lookups.verify) => `${v.ok ? 'intact' : 'FAILED'}, ${v.events.toLocaleString('en-US')} events in ${v.seconds} s, longest event-loop block ${v.maxBlockMs} ms (delay p99 ${v.p99DelayMs} ms)`;
    log(`    trail verify, as a running engine runs it: ${said(lookups.verify)}`);
    if (lookups.verifyReadOnly) log(`    trail verify on a read-only store (the CLI): ${said(lookups.verifyReadOnly)}`);

    const exportOnce = async (label: string, range: { from?: number; to?: number }): Promise<ExportResult> => {
      log(`  export ${label} ...`);
      const child = startChild(`export ${label}`, 'store-export.ts', { nodeFlags: ['--expose-gc'] });
      const out = path.join(dir, `audit-${label}.csv`);
      const r = await child.call<ExportResult>('export', { dataDir, out, ...range } satisfies ExportArgs);
      await child.stop();
      rmSync(out, { force: true });
      log(`    ${r.rows.toLocaleString('en-US')} rows in ${r.seconds.toFixed(1)} s, RSS ${(r.rssBeforeBytes / 2 ** 20).toFixed(0)} → peak ${(r.rssPeakSampledBytes / 2 ** 20).toFixed(0)} MiB`);
      return r;
    };
    const span = build.lastAt - build.firstAt;
    const exportSlice = await exportOnce('slice', { from: build.firstAt, to: build.firstAt + Math.round(span / 10) });
    const exportFull = await exportOnce('full', {});
    return { build, lookups, exportSlice, exportFull };
  } finally {
    scratch.remove();
  }
}
