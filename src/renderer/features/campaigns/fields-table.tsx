import type { FieldType } from '../../../shared/domain.js';
import type { FieldErrors } from '../buyers/field-errors.js';
import { errorAt } from '../buyers/field-errors.js';
import type { FieldRowForm } from './campaign-form.js';
import { emptyField, FIELD_TYPES, offersPing } from './campaign-form.js';

/**
 * The campaign's field schema. The "Ping" column decides what buyers see before they bid; contact
 * fields (flagged contact, phone, email) get no ping checkbox at all, since they are never pinged.
 */
const MIDDLE = { verticalAlign: 'middle' } as const;

export function FieldsTable({ rows, onChange, errors, readOnly }: { rows: FieldRowForm[]; onChange: (rows: FieldRowForm[]) => void; errors: FieldErrors; readOnly: boolean }) {
  const update = (i: number, patch: Partial<FieldRowForm>) =>
    onChange(
      rows.map((r, j) => {
        if (j !== i) return r;
        const next = { ...r, ...patch };
        // A field that turns into a contact field leaves the ping list with its checkbox.
        return offersPing(next) ? next : { ...next, ping: false };
      }),
    );
  const rowError = (r: FieldRowForm) => (r.name.trim() ? errorAt(errors, `fields.${r.name.trim()}`) : undefined);
  return (
    <div className="stack" data-testid="fields-table">
      <table className="table">
        <thead>
          <tr>
            <th>Field</th>
            <th>Type</th>
            <th>Required</th>
            <th>Contact</th>
            <th title="Sent to buyers in the ping, before they bid">Ping</th>
            <th>Limits</th>
            {!readOnly && <th />}
          </tr>
        </thead>
        <tbody>
          {rows.map((r, i) => {
            const error = rowError(r);
            return (
              <tr key={i} data-testid={`field-row-${r.name || i}`}>
                <td style={MIDDLE}>
                  {readOnly ? <span className="mono">{r.name}</span> : <input className="input mono" aria-label={`Field ${i + 1} name`} value={r.name} onChange={(e) => update(i, { name: e.target.value })} placeholder="field_name" />}
                  {error && <div className="field-error" role="alert" data-testid="field-row-error">{error}</div>}
                </td>
                <td style={MIDDLE}>
                  {readOnly ? r.type : (
                    <select className="select" aria-label={`Field ${i + 1} type`} value={r.type} onChange={(e) => update(i, { type: e.target.value as FieldType })}>
                      {FIELD_TYPES.map((t) => <option key={t} value={t}>{t}</option>)}
                    </select>
                  )}
                </td>
                <td style={MIDDLE}>{readOnly ? (r.required ? 'yes' : '') : <input type="checkbox" aria-label={`${r.name || 'Field'} required`} checked={r.required} onChange={(e) => update(i, { required: e.target.checked })} />}</td>
                <td style={MIDDLE}>{readOnly ? (r.contact ? <span className="badge badge-muted">contact</span> : '') : <input type="checkbox" aria-label={`${r.name || 'Field'} is contact data`} checked={r.contact} onChange={(e) => update(i, { contact: e.target.checked })} data-testid="contact-checkbox" />}</td>
                <td style={MIDDLE} data-testid="ping-cell">
                  {!offersPing(r) ? (
                    <span className="muted small" title="Contact data is never sent in a ping">never</span>
                  ) : readOnly ? (
                    r.ping ? 'yes' : ''
                  ) : (
                    <input type="checkbox" aria-label={`Ping ${r.name || 'field'}`} checked={r.ping} onChange={(e) => update(i, { ping: e.target.checked })} data-testid="ping-checkbox" />
                  )}
                </td>
                <td style={MIDDLE}><Limits row={r} readOnly={readOnly} onChange={(patch) => update(i, patch)} /></td>
                {!readOnly && (
                  <td className="num" style={MIDDLE}>
                    <button type="button" className="btn btn-small" aria-label={`Remove field ${r.name || i + 1}`} onClick={() => onChange(rows.filter((_, j) => j !== i))}>✕</button>
                  </td>
                )}
              </tr>
            );
          })}
        </tbody>
      </table>
      {!readOnly && (
        <div>
          <button type="button" className="btn btn-small" onClick={() => onChange([...rows, emptyField()])} data-testid="add-field">+ Add field</button>
        </div>
      )}
    </div>
  );
}

function Limits({ row, readOnly, onChange }: { row: FieldRowForm; readOnly: boolean; onChange: (patch: Partial<FieldRowForm>) => void }) {
  const numeric = row.type === 'integer' || row.type === 'number';
  if (readOnly) {
    const parts = [row.min && `min ${row.min}`, row.max && `max ${row.max}`, row.maxLength && `≤ ${row.maxLength} chars`, row.type === 'enum' && row.values].filter(Boolean);
    return <span className="muted small">{parts.join(', ')}</span>;
  }
  const small = { width: 70 };
  return (
    <span className="toolbar" style={{ gap: 4, flexWrap: 'nowrap' }}>
      {numeric && (
        <>
          <input className="input" style={small} placeholder="min" aria-label={`${row.name} min`} value={row.min} onChange={(e) => onChange({ min: e.target.value })} />
          <input className="input" style={small} placeholder="max" aria-label={`${row.name} max`} value={row.max} onChange={(e) => onChange({ max: e.target.value })} />
        </>
      )}
      {row.type === 'string' && <input className="input" style={small} placeholder="max len" aria-label={`${row.name} max length`} value={row.maxLength} onChange={(e) => onChange({ maxLength: e.target.value })} />}
      {row.type === 'enum' && <input className="input" placeholder="a, b, c" aria-label={`${row.name} values`} value={row.values} onChange={(e) => onChange({ values: e.target.value })} />}
    </span>
  );
}
