import { statSync } from 'node:fs';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { Store } from '../../src/engine/store/index.js';
import { childArgs, serveParent } from '../lib/child.js';

/**
 * One CSV export of the audit trail (`Store.exportCsv`, the path `pingdesk export audit` takes) in a
 * fresh process, with resident memory sampled while it streams. Run once on a slice and once on the
 * whole trail: constant memory means the same peak for both. The event loop is watched meanwhile the
 * way an engine's intake would feel it: the export runs on the engine's loop, so it must yield often.
 */

export interface ExportArgs {
  dataDir: string;
  out: string;
  from?: number;
  to?: number;
}

export interface ExportResult {
  rows: number;
  seconds: number;
  rowsPerSec: number;
  fileBytes: number;
  /** After the store is open and before the first row. */
  rssBeforeBytes: number;
  /** Highest RSS sampled every 25 ms during the export. */
  rssPeakSampledBytes: number;
  /** The process's peak RSS as the kernel counts it (includes start-up). */
  maxRssBytes: number;
  heapPeakBytes: number;
  /** The longest the event loop was held at once during the export, and the p99 of its delays (ms). */
  maxBlockMs: number;
  p99DelayMs: number;
}

async function runExport(args: ExportArgs): Promise<ExportResult> {
  const store = Store.open({ dataDir: args.dataDir, readonly: true });
  global.gc?.();
  const rssBeforeBytes = process.memoryUsage().rss;
  let rssPeak = rssBeforeBytes;
  let heapPeak = process.memoryUsage().heapUsed;
  const sampler = setInterval(() => {
    const m = process.memoryUsage();
    rssPeak = Math.max(rssPeak, m.rss);
    heapPeak = Math.max(heapPeak, m.heapUsed);
  }, 25);
  const loop = monitorEventLoopDelay({ resolution: 1 });
  loop.enable();
  const t0 = performance.now();
  try {
    const { rows } = await store.exportCsv('audit', { out: args.out, from: args.from, to: args.to });
    const seconds = (performance.now() - t0) / 1000;
    loop.disable();
    const ms = (ns: number) => Math.round((ns / 1e6) * 100) / 100;
    return {
      rows,
      seconds,
      rowsPerSec: Math.round(rows / seconds),
      fileBytes: statSync(args.out).size,
      rssBeforeBytes,
      rssPeakSampledBytes: Math.max(rssPeak, process.memoryUsage().rss),
      maxRssBytes: process.resourceUsage().maxRSS * 1024,
      heapPeakBytes: heapPeak,
      maxBlockMs: ms(loop.max),
      p99DelayMs: ms(loop.percentile(99)),
    };
  } finally {
    clearInterval(sampler);
    loop.disable();
    store.close();
  }
}

serveParent({ export: (a: ExportArgs) => runExport(a) }, childArgs<unknown>());
