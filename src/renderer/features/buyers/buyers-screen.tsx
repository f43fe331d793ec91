import { href } from '../../app/router.js';
import { ErrorBanner } from '../../ui/error-banner.js';
import { useConsole, useReadOnly } from '../../store/use-console.js';
import { BuyerEditor, NEW_BUYER } from './buyer-editor.js';
import { BuyersList } from './buyers-list.js';
import { useConfigData } from './use-config-data.js';

/** `#/buyers`: the list; `#/buyers/<id>`: one buyer's editor; `#/buyers/~new`: a new buyer. */
export function BuyersScreen({ params }: { params: string[] }) {
  const readOnly = useReadOnly();
  const buyers = useConsole((s) => s.buyers.list);
  const loaded = useConsole((s) => s.buyers.loaded);
  const error = useConsole((s) => s.buyers.error);
  useConfigData({ buyers: true, pollMs: params[0] ? undefined : 5000 });

  const id = params[0];
  if (id) {
    const view = buyers.find((b) => b.spec.id === id);
    if (id !== NEW_BUYER && !view) {
      return (
        <div className="screen">
          <div className="screen-header"><h1>Buyer</h1></div>
          <ErrorBanner error={error} />
          {loaded ? <div className="panel">No buyer “{id}”. <a href={href('buyers')}>All buyers</a></div> : <div className="muted">Loading…</div>}
        </div>
      );
    }
    return <BuyerEditor key={id} view={view} readOnly={readOnly} />;
  }
  return (
    <div className="screen" data-testid="buyers-screen">
      <div className="screen-header">
        <h1>Buyers</h1>
        {!readOnly && (
          <div className="actions">
            <a className="btn btn-primary" href={href('buyers', NEW_BUYER)} data-testid="new-buyer">New buyer</a>
          </div>
        )}
      </div>
      <ErrorBanner error={error} />
      {loaded ? <BuyersList buyers={buyers} /> : <div className="muted">Loading buyers…</div>}
    </div>
  );
}
