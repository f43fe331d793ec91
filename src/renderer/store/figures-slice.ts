import type { Overview } from '../../shared/console-api.js';
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
}

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
