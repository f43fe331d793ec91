import type { ReactNode } from 'react';

/**
 * A labelled form control. The label wraps the control, so clicking it focuses the input without ids;
 * `error` (usually `fieldError(err, 'name')`) shows under it in red.
 */
export function Field({ label, error, hint, children, className }: { label: ReactNode; error?: string | null; hint?: ReactNode; children: ReactNode; className?: string }) {
  return (
    <label className={`field${error ? ' has-error' : ''}${className ? ` ${className}` : ''}`}>
      <span className="field-label">{label}</span>
      {children}
      {hint && !error && <span className="field-hint">{hint}</span>}
      {error && (
        <span className="field-error" role="alert">
          {error}
        </span>
      )}
    </label>
  );
}
