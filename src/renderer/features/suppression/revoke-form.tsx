import { useState, type FormEvent } from 'react';
import { consoleStore, useConsole } from '../../store/use-console.js';
import { ErrorBanner } from '../../ui/error-banner.js';
import { fieldError } from '../../ui/errors.js';
import { Field } from '../../ui/field.js';
import { formatDateTime } from '../../ui/format.js';

/** The reasons the engine keeps as they are; any other text is recorded as `other` (no free text enters the trail). */
const REASONS: Array<[string, string]> = [
  ['consumer_request', 'Consumer asked (call, email, letter)'],
  ['stop_reply', 'Replied STOP to a text'],
  ['dnc_request', 'Asked to be put on our do-not-call list'],
  ['opt_out_link', 'Used an opt-out link'],
  ['litigation', 'Litigation or a demand letter'],
  ['other', 'Other'],
];

/**
 * "Record a revocation": a consumer withdrew consent (by phone, a letter, a STOP reply). The engine
 * suppresses them at once and audits the revocation under the operator, as `POST /v1/revocations`.
 */
export function RevokeForm() {
  const [phone, setPhone] = useState('');
  const [email, setEmail] = useState('');
  const [reason, setReason] = useState('consumer_request');
  const [busy, setBusy] = useState(false);
  const last = useConsole((s) => s.suppression.lastRevocation);
  const error = useConsole((s) => s.suppression.revokeError);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    const result = await consoleStore.getState().suppression.revoke({ phone, email, reason });
    setBusy(false);
    if (result) {
      setPhone('');
      setEmail('');
    }
  };

  return (
    <section className="panel" data-testid="suppression-revoke">
      <form className="stack" onSubmit={(e) => void submit(e)}>
        <h2 style={{ margin: 0 }}>Record a revocation</h2>
        <p className="muted small" style={{ margin: 0 }}>
          The consumer withdrew consent: they are suppressed at once, and the revocation is recorded in the audit trail under your name (hashes only).
        </p>
        <div className="grid-2">
          <Field label="Phone" error={fieldError(error, 'phone')}>
            <input className="input" value={phone} onChange={(e) => setPhone(e.target.value)} placeholder="+15125550142" data-testid="revoke-phone" />
          </Field>
          <Field label="Email" error={fieldError(error, 'email')}>
            <input className="input" value={email} onChange={(e) => setEmail(e.target.value)} placeholder="ana@example.com" data-testid="revoke-email" />
          </Field>
        </div>
        <Field label="Reason">
          <select className="input" value={reason} onChange={(e) => setReason(e.target.value)} data-testid="revoke-reason">
            {REASONS.map(([code, label]) => (
              <option key={code} value={code}>
                {label}
              </option>
            ))}
          </select>
        </Field>
        <div className="toolbar">
          <button type="submit" className="btn btn-primary" disabled={busy || (!phone.trim() && !email.trim())} data-testid="revoke-button">
            Record revocation
          </button>
          {last && (
            <span className="small" role="status" data-testid="revoke-result">
              Suppressed {last.suppressed.join(' and ')} at {formatDateTime(last.receivedAt)} ({last.revocationId})
            </span>
          )}
        </div>
        {error && !fieldError(error, 'phone') && !fieldError(error, 'email') ? <ErrorBanner error={error} /> : null}
      </form>
    </section>
  );
}
