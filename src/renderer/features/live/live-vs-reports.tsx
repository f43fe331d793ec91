import { useConsole } from '../../store/use-console.js';
import { liveVsReports } from '../../store/live-window.js';
import { PRESET_LABELS } from '../../store/report-range.js';

/** One line that says why Live's numbers and Reports' numbers differ, when they do. */
export function LiveVsReports() {
  const window = useConsole((s) => s.figures.window);
  const now = useConsole((s) => s.figures.current?.to ?? null);
  const preset = useConsole((s) => s.reports.preset);
  const from = useConsole((s) => s.reports.from);
  const to = useConsole((s) => s.reports.to);
  const bucketMs = useConsole((s) => s.reports.bucketMs);
  const reasons = liveVsReports({ window, now: now ?? to }, { label: PRESET_LABELS[preset], from, to, bucketMs });
  if (!reasons) return null;
  return (
    <div className="muted small" data-testid="live-vs-reports">
      Live and Reports differ because {reasons.join('; ')}.
    </div>
  );
}
