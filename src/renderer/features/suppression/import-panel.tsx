import { useRef, useState } from 'react';
import { consoleStore, useConsole, useJob } from '../../store/use-console.js';
import { jobRatio } from '../../store/jobs-slice.js';
import { ErrorBanner } from '../../ui/error-banner.js';
import { formatCount } from '../../ui/format.js';
import { UsageBar } from '../../ui/usage-bar.js';

/** Largest CSV the contract accepts in one call (suppression.importCsv). */
const MAX_CSV_CHARS = 50_000_000;

/** Imports a CSV of phones and emails: read here with File.text(), parsed and hashed by the engine. */
export function ImportPanel() {
  const importing = useConsole((s) => s.suppression.importing);
  const job = useJob(importing?.jobId);
  const ratio = jobRatio(job);
  const fileRef = useRef<HTMLInputElement>(null);
  const [readError, setReadError] = useState<unknown>(null);
  const result = importing?.result;
  // The engine lists the first refused rows and may count more than it lists.
  const refusedCount = result ? Math.max(result.refused.length, (result as { refusedCount?: number }).refusedCount ?? 0) : 0;

  const onFile = async (file: File | undefined) => {
    if (!file) return;
    setReadError(null);
    try {
      const csv = await file.text();
      if (csv.length > MAX_CSV_CHARS) throw new Error(`${file.name} is too large for one import (over 50 MB); split it into smaller files`);
      await consoleStore.getState().suppression.importCsv(file.name, csv);
    } catch (err) {
      setReadError(err);
    } finally {
      if (fileRef.current) fileRef.current.value = '';
    }
  };

  return (
    <section className="panel" data-testid="suppression-import">
      <div className="panel-title">
        <h2>Import a list</h2>
        <button type="button" className="btn btn-primary" disabled={importing?.running} onClick={() => fileRef.current?.click()} data-testid="suppression-import-button">
          {importing?.running ? 'Importing…' : 'Choose CSV file…'}
        </button>
        <input ref={fileRef} type="file" accept=".csv,text/csv,text/plain" hidden onChange={(e) => void onFile(e.target.files?.[0])} data-testid="suppression-file" aria-label="CSV file to import" />
      </div>
      <p className="muted small" style={{ margin: '0 0 8px' }}>
        Phones and emails, one per row (any column; a litigator list's phone and email columns), or a DNC registry download (one ten-digit number a line). Values are stored as salted hashes; a suppressed consumer's leads are refused at intake. Files of millions of lines: use <code>pingdesk suppress import</code>.
      </p>
      {importing?.running && (
        <UsageBar testId="suppression-progress" value={job?.done ?? 0} max={job?.total ?? null} label={ratio == null ? `${importing.fileName}: ${formatCount(job?.done ?? 0)} rows` : `${importing.fileName}: ${formatCount(job?.done)} of ${formatCount(job?.total)} rows`} />
      )}
      {result && importing && (
        <div className="stack" data-testid="suppression-import-result">
          <div className="notice" role="status">
            {importing.fileName}: <strong data-testid="import-added">{formatCount(result.added)}</strong> added, <strong data-testid="import-duplicates">{formatCount(result.duplicates)}</strong> already suppressed,{' '}
            <strong data-testid="import-refused">{formatCount(refusedCount)}</strong> refused.
          </div>
          {result.refused.length > 0 && (
            <table className="table" data-testid="import-refused-rows">
              <thead>
                <tr>
                  <th className="num">Line</th>
                  <th>Value</th>
                  <th>Why refused</th>
                </tr>
              </thead>
              <tbody>
                {result.refused.slice(0, 200).map((r) => (
                  <tr key={`${r.line}-${r.value}`}>
                    <td className="num">{r.line}</td>
                    <td className="mono">{r.value}</td>
                    <td>{refusalText(r.reason)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          {refusedCount > Math.min(result.refused.length, 200) && <span className="muted small">First {Math.min(result.refused.length, 200)} of {formatCount(refusedCount)} refused rows shown.</span>}
        </div>
      )}
      <ErrorBanner error={importing?.error ?? readError} />
    </section>
  );
}

const REFUSALS: Record<string, string> = {
  invalid_phone: 'Not a valid phone number',
  invalid_email: 'Not a valid email address',
};

function refusalText(reason: string): string {
  return REFUSALS[reason] ?? reason;
}
