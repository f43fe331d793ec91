/**
 * Console render performance, measured in Chromium against a real `pingdesk serve`:
 *  1. fills a data folder with N auctions (default 100k) over the last 24 h through the engine's store;
 *  2. opens Live and Reports and times the first rows and the first charts;
 *  3. scrolls the virtualized Live table and records requestAnimationFrame deltas;
 *  4. does the same while demo leads stream in (`--demo --demo-rate`), the "hundreds a second" case.
 * Prints one JSON object. Not a test: there are no thresholds here, read the numbers.
 *
 *   npx tsx bench/console-render.ts [--auctions 100000] [--demo-rate 100 (0: no streaming step)] [--skip-build]
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { chromium, type Page } from 'playwright-core';
import { Store } from '../src/engine/store/index.js';
import type { Workspace } from '../src/shared/domain.js';
import { REPO_DIR } from './lib/child.js';

const { values: opts } = parseArgs({
  options: {
    auctions: { type: 'string', default: '100000' },
    'demo-rate': { type: 'string', default: '100' },
    'skip-build': { type: 'boolean', default: false },
    'scroll-ms': { type: 'string', default: '4000' },
  },
});
const AUCTIONS = Number(opts.auctions);
const SCROLL_MS = Number(opts['scroll-ms']);
const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

const BUYERS = ['acme', 'bolt', 'cheap', 'delta', 'echo', 'fox'];
const STATES = ['TX', 'CA', 'FL', 'NY', 'IL', 'OH'];

function workspace(): Workspace {
  return {
    version: 1,
    campaigns: [
      {
        id: 'auto-insurance', name: 'Auto insurance', vertical: 'auto-insurance',
        fields: { phone: { type: 'phone', required: true, contact: true }, email: { type: 'email', contact: true }, state: { type: 'state', required: true } },
        pingFields: ['state'], minPrice: 5, payout: { type: 'percent', value: 70 }, margin: { type: 'fixed', value: 1 },
        requireNamedSeller: false, duplicateWindowDays: 30, pingTimeoutMs: 300, postTimeoutMs: 2000,
        tiers: [{ name: 'Tier 1', floor: 20, buyers: BUYERS.slice(0, 3) }, { name: 'Tier 2', floor: 5, buyers: BUYERS.slice(3) }],
      },
    ],
    sources: [{ id: 'pub-1', name: 'Quotes Site', campaigns: ['auto-insurance'] }],
    buyers: BUYERS.map((id, i) => ({ id, name: `Buyer ${id}`, ping: { url: `http://127.0.0.1:9/${id}/ping` }, post: { url: `http://127.0.0.1:9/${id}/post` }, priority: i })),
  };
}

/** N auctions (with their leads, two pings and the post when sold) spread over the last 24 hours. */
async function fill(dataDir: string): Promise<number> {
  const started = performance.now();
  const store = Store.open({ dataDir });
  store.replaceWorkspace(workspace());
  const end = Date.now();
  const step = (24 * 3_600_000) / AUCTIONS;
  for (let i = 0; i < AUCTIONS; i++) {
    const at = Math.round(end - (AUCTIONS - i) * step);
    const sold = i % 4 !== 0;
    const winner = BUYERS[i % BUYERS.length];
    const priceCents = 2000 + (i % 23) * 75;
    const payoutCents = Math.floor(priceCents * 0.7);
    const leadId = `Lbench${i}`;
    const auctionId = `Abench${i}`;
    const state = STATES[i % STATES.length];
    const latencyMs = 20 + (i % 97);
    store.insertLead({
      id: leadId, campaignId: 'auto-insurance', sourceId: 'pub-1', receivedAt: at, test: false, status: sold ? 'sold' : 'unsold',
      fields: { phone: `+1512${String(5_000_000 + i).padStart(7, '0')}`, state }, consent: { text: 'bench', captured_at: new Date(at).toISOString() },
      phoneHash: null, emailHash: null, state, zip: null,
      priceCents: sold ? priceCents : null, payoutCents: sold ? payoutCents : null, buyerId: sold ? winner : null,
    });
    store.insertAuction({
      id: auctionId, leadId, campaignId: 'auto-insurance', sourceId: 'pub-1', startedAt: at, test: false, status: sold ? 'sold' : 'unsold',
      endedAt: at + latencyMs, tierReached: sold ? 0 : 1, winnerBuyerId: sold ? winner : null, priceCents: sold ? priceCents : null,
      payoutCents: sold ? payoutCents : null, marginCents: sold ? priceCents - payoutCents : null, floorCents: 2000, latencyMs, reason: sold ? null : 'NO_VALID_BID',
    });
    for (const b of [winner, BUYERS[(i + 1) % BUYERS.length]]) {
      store.insertPing({ auctionId, leadId, buyerId: b, tierIndex: 0, sentAt: at, latencyMs: latencyMs - 5, outcome: sold ? 'BID' : 'NO_BID', bidCents: sold ? priceCents : null, floorCents: 2000, reason: null, httpStatus: 200 });
    }
    if (sold) store.insertPost({ auctionId, leadId, buyerId: winner, attempt: 1, sentAt: at + 10, latencyMs: 8, outcome: 'ACCEPTED', priceCents, reason: null, buyerRef: null, httpStatus: 200 });
    if (i % 5000 === 4999) await store.flush();
  }
  await store.flush();
  store.close();
  return Math.round(performance.now() - started);
}

async function serve(dataDir: string, demoRate: number | null): Promise<{ url: string; child: ChildProcess }> {
  const args = ['--import', 'tsx', join(REPO_DIR, 'src/cli/index.ts'), 'serve', '--data-dir', dataDir, '--console-port', '0', '--intake-port', '0'];
  if (demoRate) args.push('--demo', '--demo-rate', String(demoRate));
  const child = spawn(process.execPath, args, { cwd: REPO_DIR, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stderr?.on('data', (c: Buffer) => (out += c.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`serve did not start:\n${out}`)), 90_000);
    child.stdout?.on('data', (c: Buffer) => {
      out += c.toString();
      const m = /^Console: (\S+)/m.exec(out);
      if (m && /^Intake: /m.test(out)) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
    child.once('exit', (code) => reject(new Error(`serve exited ${code}:\n${out}`)));
  });
  return { url, child };
}

function stop(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null) return resolve();
    const t = setTimeout(() => child.kill('SIGKILL'), 15_000);
    child.once('exit', () => (clearTimeout(t), resolve()));
    child.kill('SIGTERM');
  });
}

/**
 * Milliseconds from navigation start until `probe` first holds, checked every animation frame.
 * Probes are functions, not strings: the console's CSP has no 'unsafe-eval'.
 */
async function timeUntil(page: Page, url: string, probe: () => number | false): Promise<number> {
  await page.goto(url);
  const handle = await page.waitForFunction(probe, undefined, { timeout: 120_000, polling: 'raf' });
  return Math.round(Number(await handle.jsonValue()));
}

const liveRowsShown = () => (document.querySelector('[data-testid="live-row"]') ? performance.now() : false);
const reportChartsShown = () =>
  document.querySelector('[data-testid="chart-revenue"] .recharts-line-curve') && !document.querySelector('[data-testid="report-leads"] .kpi-value')?.textContent?.includes('—') ? performance.now() : false;

function progress(message: string): void {
  process.stderr.write(`[console-render] ${message}\n`);
}

interface FrameStats {
  frames: number;
  fps: number;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
  maxMs: number;
  over20Ms: number;
  over50Ms: number;
}

/** Scrolls the Live table back and forth for `ms`, one step per frame, and summarises the frame deltas. */
async function scrollFrames(page: Page, ms: number): Promise<FrameStats & { rowsInTable: number }> {
  const deltas = await page.evaluate(async (duration) => {
    const el = document.querySelector('[data-testid="live-table-scroll"]') as HTMLElement;
    const out: number[] = [];
    let dir = 1;
    const start = performance.now();
    let last = start;
    await new Promise<void>((done) => {
      const tick = (t: number) => {
        out.push(t - last);
        last = t;
        const max = el.scrollHeight - el.clientHeight;
        if (el.scrollTop >= max - 1) dir = -1;
        else if (el.scrollTop <= 0) dir = 1;
        el.scrollTop += dir * 240;
        if (t - start < duration) requestAnimationFrame(tick);
        else done();
      };
      requestAnimationFrame(tick);
    });
    return out.slice(1);
  }, ms);
  const rowsInTable = await liveRowCount(page);
  const sorted = [...deltas].sort((a, b) => a - b);
  const q = (p: number) => Math.round(sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] * 10) / 10;
  const total = deltas.reduce((a, b) => a + b, 0);
  return {
    frames: deltas.length,
    fps: Math.round((deltas.length / total) * 1000 * 10) / 10,
    p50Ms: q(0.5),
    p95Ms: q(0.95),
    p99Ms: q(0.99),
    maxMs: Math.round(sorted[sorted.length - 1] * 10) / 10,
    over20Ms: deltas.filter((d) => d > 20).length,
    over50Ms: deltas.filter((d) => d > 50).length,
    rowsInTable,
  };
}

async function liveRowCount(page: Page): Promise<number> {
  return Number(await page.locator('[data-testid="live-table"]').getAttribute('aria-rowcount'));
}

async function main(): Promise<void> {
  if (!opts['skip-build']) execFileSync(process.execPath, [join(REPO_DIR, 'node_modules/electron-vite/bin/electron-vite.js'), 'build'], { cwd: REPO_DIR, stdio: 'ignore' });
  const dataDir = mkdtempSync(join(tmpdir(), 'pingdesk-render-'));
  const launched = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', headless: true, args: CHROMIUM_ARGS });
  const browser = await launched.newContext({ viewport: { width: 1440, height: 900 } });
  // tsx keeps function names with an `__name(fn, "name")` helper that page.evaluate'd code then calls.
  await browser.addInitScript({ content: 'globalThis.__name = (fn) => fn;' });
  try {
    progress(`filling ${AUCTIONS} auctions`);
    const fillMs = await fill(dataDir);
    progress(`filled in ${fillMs} ms; starting the console`);

    const quiet = await serve(dataDir, null);
    const page = await browser.newPage();
    progress('console up; opening Live');
    const liveFirstRowsMs = await timeUntil(page, `${quiet.url}#/live`, liveRowsShown);
    const quietScroll = await scrollFrames(page, SCROLL_MS);
    await page.close();

    progress('opening Reports');
    const reportsPage = await browser.newPage();
    const reports24hMs = await timeUntil(reportsPage, `${quiet.url}#/reports`, reportChartsShown);
    const reportLeads = await reportsPage.locator('[data-testid="report-leads"] .kpi-value').textContent();
    const t30 = performance.now();
    await Promise.all([
      reportsPage.waitForResponse((r) => r.url().includes('/api/call/timeseries.get')),
      reportsPage.waitForResponse((r) => r.url().includes('/api/call/stats.buyers')),
      reportsPage.waitForResponse((r) => r.url().includes('/api/call/stats.sources')),
      reportsPage.getByTestId('range-30d').click(),
    ]);
    await reportsPage.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
    const reports30dReloadMs = Math.round(performance.now() - t30);
    await reportsPage.close();
    await stop(quiet.child);

    progress(`Live first rows ${liveFirstRowsMs} ms; Reports 24 h charts ${reports24hMs} ms; 30 d reload ${reports30dReloadMs} ms`);
    const rate = Number(opts['demo-rate']);
    if (rate <= 0) {
      process.stdout.write(`${JSON.stringify({ auctions: AUCTIONS, fillMs, live: { firstRowsMs: liveFirstRowsMs, scroll: quietScroll }, reports: { first24hChartsMs: reports24hMs, leadsShown: reportLeads, reload30dMs: reports30dReloadMs } }, null, 2)}\n`);
      return;
    }
    progress(`streaming demo leads at ${rate}/s`);
    const busy = await serve(dataDir, rate);
    const streamPage = await browser.newPage();
    await streamPage.goto(`${busy.url}#/live`);
    await streamPage.waitForSelector('[data-testid="live-row"]');
    // Let the stream run so the buffer holds streamed rows as well as the initial page.
    await streamPage.waitForTimeout(5000);
    const rowsBefore = await liveRowCount(streamPage);
    const scrollStarted = performance.now();
    const streamingScroll = await scrollFrames(streamPage, SCROLL_MS);
    const rowsArrivedPerSecond = Math.round(((streamingScroll.rowsInTable - rowsBefore) / (performance.now() - scrollStarted)) * 1000);
    await streamPage.close();
    await stop(busy.child);

    const result = {
      auctions: AUCTIONS,
      fillMs,
      live: { firstRowsMs: liveFirstRowsMs, scroll: quietScroll },
      reports: { first24hChartsMs: reports24hMs, leadsShown: reportLeads, reload30dMs: reports30dReloadMs },
      streaming: { demoLeadsPerSecondAsked: rate, rowsArrivedPerSecond, scroll: streamingScroll },
    };
    process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  } finally {
    await launched.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
  process.exitCode = 1;
});
