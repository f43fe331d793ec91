import type { ReactNode } from 'react';
import type { RowForm } from './buyer-form.js';

/**
 * Editable name → value rows (field mapping, headers, static values). `extra` renders an additional
 * cell per row (the value type of static values). Read-only: a plain two-column table.
 */
export function KeyValueRows<R extends RowForm>({ rows, onChange, readOnly, keyLabel, valueLabel, blank, error, extra, testId }: {
  rows: R[];
  onChange: (rows: R[]) => void;
  readOnly: boolean;
  keyLabel: string;
  valueLabel: string;
  blank: () => R;
  error?: string;
  extra?: (row: R, update: (row: R) => void) => ReactNode;
  testId: string;
}) {
  if (readOnly) {
    if (!rows.length) return <div className="muted small" data-testid={testId}>None</div>;
    return (
      <table className="table" data-testid={testId}>
        <thead>
          <tr><th>{keyLabel}</th><th>{valueLabel}</th></tr>
        </thead>
        <tbody>
          {rows.map((r, i) => (
            <tr key={i}><td className="mono">{r.key}</td><td className="mono">{r.value}</td></tr>
          ))}
        </tbody>
      </table>
    );
  }
  const update = (i: number, row: R) => onChange(rows.map((r, j) => (j === i ? row : r)));
  return (
    <div className="stack" style={{ gap: 4 }} data-testid={testId}>
      {rows.map((r, i) => (
        <div key={i} className="toolbar" style={{ flexWrap: 'nowrap' }}>
          <input className="input mono" aria-label={`${keyLabel} ${i + 1}`} placeholder={keyLabel} value={r.key} onChange={(e) => update(i, { ...r, key: e.target.value })} style={{ flex: 1 }} />
          <span className="muted">→</span>
          <input className="input mono" aria-label={`${valueLabel} ${i + 1}`} placeholder={valueLabel} value={r.value} onChange={(e) => update(i, { ...r, value: e.target.value })} style={{ flex: 1 }} />
          {extra?.(r, (row) => update(i, row))}
          <button type="button" className="btn btn-small" aria-label={`Remove row ${i + 1}`} onClick={() => onChange(rows.filter((_, j) => j !== i))}>
            ✕
          </button>
        </div>
      ))}
      {error && <span className="field-error" role="alert">{error}</span>}
      <div>
        <button type="button" className="btn btn-small" onClick={() => onChange([...rows, blank()])}>
          + Add row
        </button>
      </div>
    </div>
  );
}
