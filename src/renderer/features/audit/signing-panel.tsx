import { useState } from 'react';
import { api } from '../../api/client.js';
import { ErrorBanner } from '../../ui/error-banner.js';
import { formatCount, formatDateTime } from '../../ui/format.js';
import { useApi } from '../../ui/use-api.js';
import { downloadText } from '../../ui/download.js';

/**
 * The newest signed checkpoint of the trail as stored, and the public key a reviewer verifies
 * checkpoints with (`pingdesk audit verify --public-key FILE`), to hand over separately from the data.
 */
export function SigningPanel() {
  const signing = useApi(() => api['audit.signing']({}), []);
  const [error, setError] = useState<unknown>(null);
  const view = signing.data;

  const exportKey = async (): Promise<void> => {
    setError(null);
    try {
      const key = await api['audit.publicKey']({});
      downloadText(key.fileName, key.pem, 'application/x-pem-file');
    } catch (err) {
      setError(err);
    }
  };

  return (
    <section className="panel" data-testid="signing-panel">
      <div className="panel-title">
        <h2>Signed checkpoints</h2>
        <button type="button" className="btn" onClick={() => void exportKey()} disabled={!view?.keyId} data-testid="export-public-key">
          Export public key
        </button>
      </div>
      <p className="muted small" style={{ margin: '0 0 8px' }}>
        The engine signs the trail's newest event every minute while events arrive and at every clean stop, with a key kept outside the data folder.
        Cutting events from the end or rewriting history no longer matches a signature.
      </p>
      {view && (
        <div className="notice" role="status" data-testid="signing-status">
          {view.lastCheckpoint ? (
            <>
              Last signed checkpoint: seq <strong>{formatCount(view.lastCheckpoint.seq)}</strong> at {formatDateTime(view.lastCheckpoint.at)}; {formatCount(view.unsignedAfter)} events
              after it not yet signed.
            </>
          ) : (
            <>No signed checkpoint yet; {formatCount(view.unsignedAfter)} events unsigned.</>
          )}{' '}
          {view.keyId && (
            <span className="muted">
              Key <span className="mono">{view.keyId}</span>
            </span>
          )}
        </div>
      )}
      <ErrorBanner error={signing.error ?? error} />
    </section>
  );
}
