import { errorCode, errorDetails, errorMessage } from './errors.js';

/** Codes whose message and field details say it all: a broker needs no code for a form problem. */
const FORM_CODES = new Set(['validation_failed', 'invalid_workspace']);

/**
 * An engine error as a readable block: the message, the field details, the code for support.
 * Renders nothing without an error, so screens can place it unconditionally.
 */
export function ErrorBanner({ error, onDismiss, testId = 'error-banner' }: { error: unknown; onDismiss?: () => void; testId?: string }) {
  if (error == null) return null;
  const code = errorCode(error);
  const details = errorDetails(error);
  return (
    <div className="error-banner" role="alert" data-testid={testId}>
      <div className="error-body">
        <div>{errorMessage(error)}</div>
        {details.length > 0 && (
          <ul>
            {details.map((d, i) => (
              <li key={i}>
                <code>{d.field}</code>: {d.message}
              </li>
            ))}
          </ul>
        )}
        {code && !FORM_CODES.has(code) && <div className="small muted">Reference for support: <code>{code}</code></div>}
      </div>
      {onDismiss && (
        <button type="button" className="btn btn-small" onClick={onDismiss} aria-label="Dismiss error">
          Dismiss
        </button>
      )}
    </div>
  );
}
