import type { ChangeImpact, ChangeView } from '../../shared/change-views.js';
import type { Overview, TimePoint } from '../../shared/console-api.js';
import { liveWindowRange, type LiveWindow } from './live-window.js';
import type { SliceCreator } from './types.js';

export interface FigureSample {
  t: number;
  leadsPerMinute: number;
  fillRate: number;
  revenue: number;
  margin: number;
  p50LatencyMs: number | null;
  p99LatencyMs: number | null;
}

export interface FiguresSlice {
  current: Overview | null;
  /** One sample per tick, oldest first, the last `historyLimit` of them (sparklines). */
  history: FigureSample[];
  historyLimit: number;
  error: unknown;
  receive: (overview: Overview) => void;
  /** First figures before the first tick arrives: the last five minutes. */
  load: () => Promise<void>;
  /** The window Live's figures cover; the 5-minute one is the engine's tick, the others are read from the store. */
  window: LiveWindow;
  setWindow: (window: LiveWindow) => Promise<void>;
  /** The chosen window's figures and trend when it is not the 5-minute one. */
  windowed: { window: LiveWindow; overview: Overview; series: TimePoint[] } | null;
  /** Configuration changes inside the chosen window (markers on the sparklines). */
  changes: ChangeView[];
  /** The latest changes of the last day, each with the chosen window's figures before it and since. */
  impacts: ChangeImpact[];
  windowError: unknown;
  /** Reads what the chosen window needs from the engine (Live calls it every few seconds). */
  refreshWindow: () => Promise<void>;
}

/** How far back the before/after readout looks for the latest changes. */
const IMPACT_LOOKBACK_MS = 24 * 60 * 60_000;
/** How many recent changes the readout shows. */
export const IMPACTS_SHOWN = 3;

/** About ten minutes of once-a-second ticks. */
export const FIGURE_HISTORY = 600;
const WINDOW_MS = 5 * 60_000;

export const createFiguresSlice: SliceCreator<'figures'> = ({ patch, self, deps }) => ({
  current: null,
  history: [],
  historyLimit: FIGURE_HISTORY,
  error: null,
  receive(o) {
    const s = self();
    const sample: FigureSample = {
      t: o.to,
      leadsPerMinute: o.leadsPerMinute,
      fillRate: o.fillRate,
      revenue: o.revenue,
      margin: o.margin,
      p50LatencyMs: o.p50LatencyMs,
      p99LatencyMs: o.p99LatencyMs,
    };
    const last = s.history[s.history.length - 1];
    // A tick for the same instant replaces the previous sample instead of doubling it.
    const base = last && last.t === sample.t ? s.history.slice(0, -1) : s.history;
    const history = base.length >= s.historyLimit ? [...base.slice(base.length - s.historyLimit + 1), sample] : [...base, sample];
    patch({ current: o, history, error: null });
  },
  window: '5m',
  windowed: null,
  changes: [],
  impacts: [],
  windowError: null,
  async setWindow(window) {
    patch({ window, windowed: null });
    await self().refreshWindow();
  },
  async refreshWindow() {
    const window = self().window;
    const now = deps.now();
    const range = liveWindowRange(window, now);
    try {
      const [changes, impacts, figures] = await Promise.all([
        deps.api['changes.list']({ from: range.from, to: now + 1 }),
        deps.api['changes.impact']({ from: now - IMPACT_LOOKBACK_MS, to: now + 1, windowMs: Math.max(60_000, range.to - range.from), latest: IMPACTS_SHOWN }),
        window === '5m'
          ? Promise.resolve(null)
          : Promise.all([deps.api['overview.get']({ from: range.from, to: now }), deps.api['timeseries.get']({ from: range.from, to: now, bucketMs: range.bucketMs })]),
      ]);
      // A slow answer for a window no longer chosen is dropped.
      if (self().window !== window) return;
      patch({ changes: changes.changes, impacts, windowed: figures ? { window, overview: figures[0], series: figures[1] } : null, windowError: null });
    } catch (windowError) {
      patch({ windowError });
    }
  },
  async load() {
    const to = deps.now();
    try {
      const o = await deps.api['overview.get']({ from: to - WINDOW_MS, to });
      if (!self().current) self().receive(o);
    } catch (error) {
      patch({ error });
    }
  },
});
