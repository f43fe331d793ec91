import { useEffect, useState } from 'react';
import type { InboundPingView } from '../../../shared/console-api.js';
import { api } from '../../api/client.js';
import { formatDateTime, formatMoney } from '../../ui/format.js';
import type { useDirectory } from '../../ui/use-directory.js';

const POLL_MS = 2000;
const BADGE: Record<InboundPingView['status'], string> = { promised: 'badge-warn', posted: 'badge-ok', expired: 'badge-muted' };

/** Publishers' inbound pings (`POST /v1/ping`): what each was promised, and whether it was posted or expired. Hidden while there are none. */
export function InboundPings({ dir }: { dir: ReturnType<typeof useDirectory> }) {
  const [pings, setPings] = useState<InboundPingView[]>([]);
  useEffect(() => {
    let live = true;
    const load = () => void api['pings.inbound']({}).then((rows) => live && setPings(rows), () => undefined);
    load();
    const timer = setInterval(load, POLL_MS);
    return () => {
      live = false;
      clearInterval(timer);
    };
  }, []);
  if (pings.length === 0) return null;
  return (
    <div className="panel" data-testid="inbound-pings">
      <h2 className="small">Inbound pings</h2>
      <table className="table">
        <thead>
          <tr>
            <th>Pinged</th>
            <th>Source</th>
            <th>Campaign</th>
            <th>Promised</th>
            <th>Best bid</th>
            <th>Status</th>
          </tr>
        </thead>
        <tbody>
          {pings.slice(0, 20).map((p) => (
            <tr key={p.pingId} data-testid="inbound-ping-row">
              <td className="tabular">{formatDateTime(p.pingedAt)}</td>
              <td>{dir.sourceName(p.sourceId)}</td>
              <td>{dir.campaignName(p.campaignId)}</td>
              <td className="tabular">{formatMoney(p.promised)}</td>
              <td className="tabular">{formatMoney(p.bestBid)}</td>
              <td>
                <span className={`badge ${BADGE[p.status]}`}>{p.status}</span>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
