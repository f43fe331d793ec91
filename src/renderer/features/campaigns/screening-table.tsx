import type { FieldErrors } from '../buyers/field-errors.js';
import { errorAt } from '../buyers/field-errors.js';
import type { ScreeningAction, ScreeningRowForm, ScreeningType } from './screening-form.js';
import { emptyScreeningRow, SCREENING_TYPES, thresholdLabel } from './screening-form.js';

const MIDDLE = { verticalAlign: 'middle' } as const;
const ACTIONS: ScreeningAction[] = ['flag', 'reject'];

/** Pre-ping screening rules: one per vendor, each with what a failure and a silent vendor do. */
export function ScreeningTable({ rows, onChange, errors, readOnly }: { rows: ScreeningRowForm[]; onChange: (rows: ScreeningRowForm[]) => void; errors: FieldErrors; readOnly: boolean }) {
  const update = (i: number, patch: Partial<ScreeningRowForm>) => onChange(rows.map((r, j) => (j === i ? { ...r, ...patch, ...(patch.type ? { threshold: '' } : {}) } : r)));
  const rowErrors = (i: number) => ['type', 'timeoutMs', 'threshold', 'minActivityScore', 'maxFraudScore', 'action', 'onError', 'apiKey', 'url'].map((k) => errorAt(errors, `screening[${i}].${k}`)).filter(Boolean);
  return (
    <div className="stack" data-testid="screening-table">
      {rows.length === 0 && <p className="muted small" style={{ margin: 0 }}>No screening: leads go to the ping tree once validated.</p>}
      {rows.length > 0 && (
        <table className="table">
          <thead>
            <tr>
              <th>Check</th>
              <th title="What a lead that fails the check does">On failure</th>
              <th title="What a vendor that does not answer usably in time does">On no answer</th>
              <th>Time budget (ms)</th>
              <th>Threshold</th>
              <th>API key</th>
              {!readOnly && <th />}
            </tr>
          </thead>
          <tbody>
            {rows.map((r, i) => {
              const label = thresholdLabel(r.type);
              const problems = rowErrors(i);
              return (
                <tr key={i} data-testid={`screening-row-${r.type}`}>
                  <td style={MIDDLE}>
                    {readOnly ? SCREENING_TYPES.find((t) => t.value === r.type)?.label : (
                      <select className="select" aria-label={`Screening ${i + 1} check`} value={r.type} onChange={(e) => update(i, { type: e.target.value as ScreeningType })}>
                        {SCREENING_TYPES.map((t) => <option key={t.value} value={t.value}>{t.label}</option>)}
                      </select>
                    )}
                    {problems.map((p) => <div key={p} className="field-error" role="alert">{p}</div>)}
                  </td>
                  <td style={MIDDLE}>{readOnly ? r.action : <ActionSelect label={`Screening ${i + 1} on failure`} value={r.action} onChange={(v) => update(i, { action: v })} />}</td>
                  <td style={MIDDLE}>{readOnly ? r.onError : <ActionSelect label={`Screening ${i + 1} on no answer`} value={r.onError} onChange={(v) => update(i, { onError: v })} />}</td>
                  <td style={MIDDLE}>{readOnly ? r.timeoutMs : <input className="input" style={{ width: 90 }} aria-label={`Screening ${i + 1} time budget`} value={r.timeoutMs} onChange={(e) => update(i, { timeoutMs: e.target.value })} />}</td>
                  <td style={MIDDLE}>
                    {label === null ? <span className="muted small">—</span> : readOnly ? `${label}: ${r.threshold || 'default'}` : (
                      <input className="input" style={{ width: 90 }} aria-label={`Screening ${i + 1} ${label}`} placeholder={label} title={label} value={r.threshold} onChange={(e) => update(i, { threshold: e.target.value })} />
                    )}
                  </td>
                  <td style={MIDDLE}>
                    {readOnly ? <span className="muted small">write-only</span> : (
                      <input className="input mono" type="password" autoComplete="off" aria-label={`Screening ${i + 1} API key`} placeholder="unchanged" value={r.apiKey} onChange={(e) => update(i, { apiKey: e.target.value })} />
                    )}
                  </td>
                  {!readOnly && (
                    <td style={MIDDLE}>
                      <button type="button" className="btn btn-small" aria-label={`Remove screening ${i + 1}`} onClick={() => onChange(rows.filter((_, j) => j !== i))}>Remove</button>
                    </td>
                  )}
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      {!readOnly && rows.length < SCREENING_TYPES.length && (
        <div>
          <button type="button" className="btn" onClick={() => onChange([...rows, emptyScreeningRow(rows.map((r) => r.type))])} data-testid="add-screening">Add screening check</button>
        </div>
      )}
      <p className="muted small" style={{ margin: 0 }}>Checks run at once after validation and before any buyer is pinged. API keys are never shown again; leave the field empty to keep the stored key.</p>
    </div>
  );
}

function ActionSelect({ label, value, onChange }: { label: string; value: ScreeningAction; onChange: (v: ScreeningAction) => void }) {
  return (
    <select className="select" aria-label={label} value={value} onChange={(e) => onChange(e.target.value as ScreeningAction)}>
      {ACTIONS.map((a) => <option key={a} value={a}>{a}</option>)}
    </select>
  );
}
