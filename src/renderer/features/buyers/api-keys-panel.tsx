import { useState } from 'react';
import type { ApiKeyView, CreatedKey } from '../../../shared/console-api.js';
import { Dialog } from '../../ui/dialog.js';
import { ErrorBanner } from '../../ui/error-banner.js';
import { formatDateTime } from '../../ui/format.js';
import { showToast } from '../../ui/toasts.js';

/**
 * API keys of a source or buyer. A created key is shown once, in a dialog with a copy button; only
 * its prefix is kept afterwards, so the dialog closes only by "I've copied it" (never by Escape).
 */
export function ApiKeysPanel({ keys, onCreate, onRevoke, readOnly, who }: {
  keys: ApiKeyView[];
  onCreate: () => Promise<CreatedKey>;
  onRevoke: (keyId: string) => Promise<void>;
  readOnly: boolean;
  who: string;
}) {
  const [created, setCreated] = useState<CreatedKey | null>(null);
  const [revoking, setRevoking] = useState<ApiKeyView | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  const run = async (action: () => Promise<void>) => {
    setBusy(true);
    setError(null);
    try {
      await action();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="panel stack" data-testid="api-keys">
      <div className="panel-title">
        <h2>API keys</h2>
        {!readOnly && (
          <button
            type="button"
            className="btn btn-small"
            disabled={busy}
            data-testid="create-key"
            onClick={() =>
              void run(async () => {
                setCreated(await onCreate());
                showToast(`API key created for ${who}`);
              })
            }
          >
            Create key
          </button>
        )}
      </div>
      <ErrorBanner error={error} onDismiss={() => setError(null)} />
      {keys.length === 0 ? (
        <div className="muted small">No keys yet.</div>
      ) : (
        <table className="table">
          <thead>
            <tr><th>Key</th><th>Created</th><th>Status</th>{!readOnly && <th />}</tr>
          </thead>
          <tbody>
            {keys.map((k) => (
              <tr key={k.id} data-testid="key-row">
                <td className="mono">{k.prefix}…</td>
                <td className="tabular">{formatDateTime(k.createdAt)}</td>
                <td>{k.revokedAt ? <span className="badge badge-muted">revoked {formatDateTime(k.revokedAt)}</span> : <span className="badge badge-ok">active</span>}</td>
                {!readOnly && (
                  <td className="num">
                    {!k.revokedAt && (
                      <button type="button" className="btn btn-small btn-danger" onClick={() => setRevoking(k)}>
                        Revoke
                      </button>
                    )}
                  </td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {created && <CreatedKeyDialog created={created} who={who} onClose={() => setCreated(null)} />}
      {revoking && (
        <Dialog
          title="Revoke key?"
          testId="revoke-dialog"
          onClose={() => setRevoking(null)}
          onSubmit={() =>
            void run(async () => {
              await onRevoke(revoking.id);
              setRevoking(null);
              showToast(`Key ${revoking.prefix}… revoked`);
            })
          }
          footer={
            <>
              <button type="button" className="btn" onClick={() => setRevoking(null)}>Cancel</button>
              <button type="submit" className="btn btn-danger" disabled={busy}>Revoke</button>
            </>
          }
        >
          <p style={{ margin: 0 }}>
            Requests from {who} signed with <code>{revoking.prefix}…</code> will be refused from now on. This cannot be undone.
          </p>
        </Dialog>
      )}
    </section>
  );
}

function CreatedKeyDialog({ created, who, onClose }: { created: CreatedKey; who: string; onClose: () => void }) {
  const [copied, setCopied] = useState<'yes' | 'failed' | null>(null);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(created.key);
      setCopied('yes');
    } catch {
      setCopied('failed');
    }
  };
  return (
    <Dialog
      title="New API key"
      testId="created-key-dialog"
      onClose={onClose}
      dismissible={false}
      footer={<button type="button" className="btn btn-primary" onClick={onClose} data-testid="key-copied">I've copied it</button>}
    >
      <p style={{ margin: 0 }}>
        This is the only time the key for {who} is shown. Copy it now and hand it over securely; only its prefix is kept.
      </p>
      <div className="toolbar" style={{ flexWrap: 'nowrap' }}>
        <input className="input mono" readOnly value={created.key} style={{ flex: 1 }} aria-label="New API key" data-testid="created-key" onFocus={(e) => e.currentTarget.select()} />
        <button type="button" className="btn" onClick={() => void copy()} data-testid="copy-key">
          {copied === 'yes' ? 'Copied' : 'Copy'}
        </button>
      </div>
      {copied === 'failed' && <span className="field-error">The clipboard is not available here: select the key and copy it by hand.</span>}
    </Dialog>
  );
}
