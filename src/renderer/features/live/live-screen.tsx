import { useCallback, useEffect, useMemo } from 'react';
import type { AuctionSummary } from '../../../shared/console-api.js';
import { navigate } from '../../app/router.js';
import { consoleStore, useConsole } from '../../store/use-console.js';
import { filterAuctions } from '../../store/live-slice.js';
import { ErrorBanner } from '../../ui/error-banner.js';
import { formatCount } from '../../ui/format.js';
import { Table } from '../../ui/table.js';
import { useDirectory } from '../../ui/use-directory.js';
import { liveColumns } from './live-columns.js';
import { LiveFigures } from './live-figures.js';
import { LiveFilters } from './live-filters.js';
import { InboundPings } from './inbound-pings.js';

const rowKey = (r: AuctionSummary) => r.id;
const openAuction = (r: AuctionSummary) => navigate('auctions', r.id);

/**
 * The auction stream as it happens. Rows come from the store's bounded buffer (one update per
 * event batch); the table is virtualized and its rows memoised, so hundreds of auctions a second
 * cost a few renders a second. Pausing freezes the rows and counts what arrives meanwhile.
 */
export function LiveScreen(_props: { params: string[] }) {
  const rows = useConsole((s) => s.live.rows);
  const filter = useConsole((s) => s.live.filter);
  const paused = useConsole((s) => s.live.paused);
  const arrived = useConsole((s) => s.live.arrivedWhilePaused);
  const capacity = useConsole((s) => s.live.capacity);
  const error = useConsole((s) => s.live.error);
  const dir = useDirectory();

  useEffect(() => {
    const { live, figures } = consoleStore.getState();
    if (!live.historyLoaded && !live.loading) void live.loadInitial();
    if (!figures.current) void figures.load();
  }, []);

  const visible = useMemo(() => filterAuctions(rows, filter), [rows, filter]);
  const columns = useMemo(() => liveColumns(dir), [dir]);
  const togglePause = useCallback(() => {
    const { live } = consoleStore.getState();
    if (live.paused) live.resume();
    else live.pause();
  }, []);

  return (
    <div className="screen" data-testid="live-screen">
      <div className="screen-header">
        <h1>Live</h1>
        <div className="actions">
          {paused && (
            <span className="paused-note" data-testid="live-arrived" role="status">
              Paused · {formatCount(arrived)} new since
            </span>
          )}
          <button type="button" className={`btn${paused ? ' btn-primary' : ''}`} onClick={togglePause} aria-pressed={paused} data-testid="live-pause">
            {paused ? 'Resume' : 'Pause'}
          </button>
        </div>
      </div>
      <LiveFigures dir={dir} />
      <ErrorBanner error={error} />
      <InboundPings dir={dir} />
      <div className="panel panel-flush">
        <div className="toolbar" style={{ padding: '8px 10px' }}>
          <LiveFilters rows={rows} dir={dir} />
          <span className="spacer" />
          <span className="muted small" data-testid="live-count">
            {liveCountText(visible.length, rows.length, capacity)}
          </span>
        </div>
        <Table
          rows={visible}
          columns={columns}
          rowKey={rowKey}
          onRowClick={openAuction}
          height="max(260px, calc(100vh - 330px))"
          testId="live-table"
          rowTestId="live-row"
          ariaLabel="Live auctions"
          empty={rows.length === 0 ? 'Waiting for auctions…' : 'No auction matches the filters'}
        />
      </div>
    </div>
  );
}

/**
 * What the table holds, in words: "Showing all 500 recent auctions (the newest 5,000 are kept here;
 * older ones are in Reports)"; with filters, how many of them match.
 */
export function liveCountText(visible: number, held: number, capacity: number): string {
  const kept = held >= capacity ? ` · only the newest ${formatCount(capacity)} are kept here, older ones are in Reports` : '';
  if (visible === held) return `Showing all ${formatCount(held)} recent auction${held === 1 ? '' : 's'}${kept}`;
  return `${formatCount(visible)} of ${formatCount(held)} recent auctions match the filters${kept}`;
}
