import type { ChangeView } from '../../shared/change-views.js';
import type { BuyerStat, ExportResult, Overview, SourceStat, TimePoint } from '../../shared/console-api.js';
import { bucketFor, rangeFor, type RangePreset } from './report-range.js';
import type { SliceCreator } from './types.js';

export type ExportKind = ExportResult['kind'];

export interface ExportState {
  jobId: string;
  running: boolean;
  result: ExportResult | null;
  error: unknown;
}

export interface ReportsSlice {
  preset: RangePreset;
  from: number;
  to: number;
  bucketMs: number;
  overview: Overview | null;
  series: TimePoint[];
  buyers: BuyerStat[];
  sources: SourceStat[];
  /** Floor, tier and buyer changes in the range: markers on the charts. */
  changes: ChangeView[];
  loading: boolean;
  error: unknown;
  exports: Partial<Record<ExportKind, ExportState>>;
  /** A preset range ending now; reloads. */
  setPreset: (preset: Exclude<RangePreset, 'custom'>) => Promise<void>;
  /** A custom range (epoch ms, from < to); reloads. */
  setCustomRange: (from: number, to: number) => Promise<void>;
  load: () => Promise<void>;
  /** Streams a CSV of the current range to the data folder, with progress under jobs[jobId]. */
  exportCsv: (kind: ExportKind) => Promise<void>;
}

export const createReportsSlice: SliceCreator<'reports'> = ({ patch, self, get, deps }) => {
  let loadSeq = 0;
  const initial = rangeFor('24h', deps.now());
  return {
    preset: '24h',
    ...initial,
    bucketMs: bucketFor(initial.to - initial.from),
    overview: null,
    series: [],
    buyers: [],
    sources: [],
    changes: [],
    loading: false,
    error: null,
    exports: {},
    async setPreset(preset) {
      const r = rangeFor(preset, deps.now());
      patch({ preset, ...r, bucketMs: bucketFor(r.to - r.from) });
      await self().load();
    },
    async setCustomRange(from, to) {
      if (!(from < to)) {
        patch({ error: new Error('The range must end after it starts') });
        return;
      }
      patch({ preset: 'custom', from, to, bucketMs: bucketFor(to - from) });
      await self().load();
    },
    async load() {
      const mine = ++loadSeq;
      const s = self();
      // A preset range slides with the clock each time it loads; a custom one stays put.
      const r = s.preset === 'custom' ? { from: s.from, to: s.to } : rangeFor(s.preset, deps.now());
      const bucketMs = bucketFor(r.to - r.from);
      // Align the charts' start to the bucket so consecutive loads share bucket boundaries. The figures
      // and tables cover exactly the range the picker names: aligned, they took in up to a bucket more.
      const seriesFrom = Math.floor(r.from / bucketMs) * bucketMs;
      patch({ ...r, bucketMs, loading: true, error: null });
      try {
        const [overview, series, buyers, sources, changes] = await Promise.all([
          deps.api['overview.get']({ from: r.from, to: r.to }),
          deps.api['timeseries.get']({ from: seriesFrom, to: r.to, bucketMs }),
          deps.api['stats.buyers']({ from: r.from, to: r.to }),
          deps.api['stats.sources']({ from: r.from, to: r.to }),
          // Markers are a help, not the report: without them the figures still show.
          deps.api['changes.list']({ from: seriesFrom, to: r.to }).catch(() => ({ changes: [], truncated: false })),
        ]);
        if (mine === loadSeq) patch({ overview, series, buyers, sources, changes: changes.changes, loading: false });
      } catch (error) {
        if (mine === loadSeq) patch({ loading: false, error });
      }
    },
    async exportCsv(kind) {
      const { from, to } = self();
      const jobId = get().jobs.start(`Export ${kind}`);
      const setExport = (e: ExportState) => patch((s) => ({ exports: { ...s.exports, [kind]: e } }));
      setExport({ jobId, running: true, result: null, error: null });
      try {
        const result = await deps.api['export.csv']({ kind, from, to, jobId });
        get().jobs.finish(jobId);
        setExport({ jobId, running: false, result, error: null });
      } catch (error) {
        get().jobs.finish(jobId);
        setExport({ jobId, running: false, result: null, error });
      }
    },
  };
};
