import type { AuditEventView } from '../../../shared/console-api.js';
import { formatClock, formatDateTime, shortHash } from '../../ui/format.js';
import type { Directory } from '../../ui/use-directory.js';
import { EventData } from './event-data.js';

const TONE: Partial<Record<string, string>> = {
  sold: 'badge-ok',
  refused: 'badge-bad',
  interrupted: 'badge-bad',
  erased: 'badge-warn',
};

/** The lead's audit events in chain order: time, type, actor, what was recorded, and the event hash. */
export function TrailTimeline({ trail, dir }: { trail: AuditEventView[]; dir: Directory }) {
  const events = [...trail].sort((a, b) => a.seq - b.seq);
  // Each auction's `eligible` events record its tiers' names at auction time.
  const tierNames = new Map<string, string>();
  for (const e of events) {
    if (e.type === 'eligible' && typeof e.data.tier === 'number' && typeof e.data.tierName === 'string') tierNames.set(`${String(e.data.auctionId)}:${e.data.tier}`, e.data.tierName);
  }
  return (
    <section className="panel" data-testid="lead-trail">
      <div className="panel-title">
        <h2>Audit trail</h2>
        <span className="muted small">{events.length} events</span>
      </div>
      <ol className="timeline">
        {events.map((e) => (
          <li key={e.seq} data-testid="trail-event" data-type={e.type} className="trail-event">
            <span className="tabular small" title={formatDateTime(e.at)}>
              <span className="muted">{formatDateTime(e.at).slice(0, 10)}</span>
              <br />
              {formatClock(e.at)}
            </span>
            <span className="stack" style={{ gap: 3, minWidth: 0 }}>
              <span className="small">
                <span className={`badge ${TONE[e.type] ?? 'badge-muted'}`}>{e.type}</span> <span className="muted">by</span> {e.actor}
              </span>
              <EventData data={e.data} dir={dir} tierName={(i) => tierNames.get(`${String(e.data.auctionId)}:${i}`)} />
            </span>
            <span className="small muted mono" title={`seq ${e.seq}\nhash ${e.hash}\nprev ${e.prevHash}`}>
              #{e.seq} {shortHash(e.hash, 8)}
            </span>
          </li>
        ))}
      </ol>
    </section>
  );
}
