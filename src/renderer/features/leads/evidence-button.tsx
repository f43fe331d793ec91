import { useState } from 'react';
import { api } from '../../api/client.js';
import type { EvidenceExport } from '../../../shared/console-api.js';
import { useConsole } from '../../store/use-console.js';
import { ErrorBanner } from '../../ui/error-banner.js';
import { downloadHref } from '../reports/export-panel.js';

/**
 * Writes the lead's evidence bundle (consent, deliveries, trail, the proof to a signed checkpoint and
 * a printable page) to the exports folder; the browser downloads it like a CSV export, the desktop
 * app shows where it was saved. Reads only, so a review copy makes bundles too.
 */
export function EvidenceButton({ leadId }: { leadId: string }) {
  const mode = useConsole((s) => s.session.info?.mode);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [result, setResult] = useState<EvidenceExport | null>(null);

  const make = async () => {
    setBusy(true);
    setError(null);
    try {
      setResult(await api['leads.evidence']({ id: leadId }));
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <span className="evidence-action">
      <button type="button" className="btn" disabled={busy} onClick={() => void make()} data-testid="evidence-bundle">
        {busy ? 'Making bundle…' : 'Evidence bundle'}
      </button>
      {result && (
        <span className="small" data-testid="evidence-result">
          {result.checkpointSeq == null && <span className="badge badge-warn" title="No signed checkpoint covers this lead's last event yet; the engine signs every minute">not yet signed</span>}{' '}
          {mode === 'electron' ? (
            <code title="Saved in the data folder">{result.path}</code>
          ) : (
            <a href={downloadHref(result)} download={result.fileName} data-testid="evidence-link">
              Download {result.fileName}
            </a>
          )}
        </span>
      )}
      <ErrorBanner error={error} />
    </span>
  );
}
