import { useConsole } from '../../store/use-console.js';
import { formatClock } from '../../ui/format.js';
import type { Directory } from '../../ui/use-directory.js';
import { describeImpact } from './change-readout.js';

/** After a change: the chosen window's figures before it and since, newest change first. */
export function ChangeReadout({ dir }: { dir: Pick<Directory, 'campaignName'> }) {
  const impacts = useConsole((s) => s.figures.impacts);
  if (impacts.length === 0) return null;
  return (
    <div className="panel change-readout small" data-testid="change-readout" aria-label="Figures before and since the latest changes">
      {[...impacts].reverse().map((impact) => {
        const d = describeImpact(impact, formatClock);
        return (
          <div key={impact.change.seq} data-testid="change-impact">
            <strong>{d.headline}</strong>
            {impact.campaignId && <span className="muted"> · {dir.campaignName(impact.campaignId)}</span>}: {d.figures}. <span className="muted">{d.basis}</span>
          </div>
        );
      })}
    </div>
  );
}
