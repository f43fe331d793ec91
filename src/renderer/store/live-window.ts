/**
 * The windows Live's figures can cover, and what tells Live and Reports apart. Pure, so the choice
 * and the explanation are tested without a clock or a screen.
 */

export type LiveWindow = '5m' | '1h' | 'today';

export const LIVE_WINDOWS: LiveWindow[] = ['5m', '1h', 'today'];

export const LIVE_WINDOW_LABELS: Record<LiveWindow, string> = { '5m': 'Last 5 min', '1h': 'Last hour', today: 'Today' };

const MINUTE = 60_000;

export interface LiveWindowRange {
  from: number;
  to: number;
  /** Sparkline points for the store-read windows (1 h, today); the 5-min window draws the engine's ticks. */
  bucketMs: number;
}

/** "today" starts at the console's local midnight. */
export function liveWindowRange(window: LiveWindow, now: number): LiveWindowRange {
  if (window === '5m') return { from: now - 5 * MINUTE, to: now, bucketMs: 1000 };
  if (window === '1h') return { from: Math.floor((now - 60 * MINUTE) / MINUTE) * MINUTE, to: now, bucketMs: MINUTE };
  const midnight = new Date(now);
  midnight.setHours(0, 0, 0, 0);
  return { from: midnight.getTime(), to: now, bucketMs: 5 * MINUTE };
}

export interface ReportsWindow {
  /** "Last 24 h", "Custom", … */
  label: string;
  from: number;
  to: number;
  bucketMs: number;
}

/**
 * Why Live's figures and Reports' figures are not the same numbers, from what each one actually reads
 * (observe/live-figures.ts for Live's 5 minutes, store/report-repo.ts for Reports and Live's longer
 * windows). Null when both cover the same window from the same source.
 */
export function liveVsReports(live: { window: LiveWindow; now: number }, reports: ReportsWindow): string[] | null {
  const reasons: string[] = [];
  const liveLabel = LIVE_WINDOW_LABELS[live.window].toLowerCase();
  const range = liveWindowRange(live.window, live.now);
  const sameSpan = Math.abs(reports.to - reports.from - (range.to - range.from)) < MINUTE && Math.abs(reports.to - live.now) < 5 * MINUTE;
  if (!sameSpan) reasons.push(`they cover different time: Live shows ${liveLabel}, Reports show ${reports.label.toLowerCase()}`);
  if (live.window === '5m') {
    reasons.push('Live’s 5 minutes count auctions when they finish, held in the engine’s memory; Reports count stored leads by the time they arrived, with their status now (a lead settled later counts as sold only there)');
  }
  if (sameSpan && live.window !== '5m' && reasons.length === 0) return null;
  if (reports.bucketMs > MINUTE) reasons.push(`Reports’ charts add leads up in ${Math.round(reports.bucketMs / MINUTE)}-minute buckets, so the newest bucket is still filling`);
  return reasons;
}
