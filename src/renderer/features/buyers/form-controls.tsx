import type { ReactNode } from 'react';
import { Field } from '../../ui/field.js';
import type { FieldErrors } from './field-errors.js';
import { errorAt } from './field-errors.js';

/**
 * Form controls for the configuration editors. Each names the spec path it edits, so the engine's
 * `validation_failed` details show beside it; in read-only mode each renders its value as text,
 * with no input at all.
 */
interface Common {
  label: ReactNode;
  path: string;
  errors: FieldErrors;
  readOnly: boolean;
  hint?: ReactNode;
  className?: string;
}

const shown = (v: string): ReactNode => (v === '' ? <span className="muted">—</span> : v);
const testIdOf = (path: string) => `field-${path}`;

export function TextField({ span, ...props }: Parameters<typeof TextInput>[0] & { span?: number }) {
  if (!span) return <TextInput {...props} />;
  return (
    <div style={{ gridColumn: `span ${span}`, display: 'flex', flexDirection: 'column' }}>
      <TextInput {...props} />
    </div>
  );
}

function TextInput({ label, path, errors, readOnly, hint, className, value, onChange, placeholder, type = 'text', list, mono }: Common & {
  value: string;
  onChange: (v: string) => void;
  placeholder?: string;
  type?: 'text' | 'number' | 'time' | 'password' | 'url';
  list?: string;
  mono?: boolean;
}) {
  return (
    <Field label={label} error={errorAt(errors, path)} hint={readOnly ? undefined : hint} className={className}>
      {readOnly ? (
        <span className={mono ? 'mono' : undefined} data-testid={testIdOf(path)}>{type === 'password' && value ? '••••••' : shown(value)}</span>
      ) : (
        <input
          className={`input${mono ? ' mono' : ''}`}
          type={type}
          value={value}
          placeholder={placeholder}
          list={list}
          onChange={(e) => onChange(e.target.value)}
          aria-invalid={errorAt(errors, path) ? true : undefined}
          data-testid={testIdOf(path)}
        />
      )}
    </Field>
  );
}

export function SelectField<T extends string>({ label, path, errors, readOnly, hint, className, value, onChange, options }: Common & {
  value: T;
  onChange: (v: T) => void;
  options: ReadonlyArray<{ value: T; label: string }>;
}) {
  return (
    <Field label={label} error={errorAt(errors, path)} hint={readOnly ? undefined : hint} className={className}>
      {readOnly ? (
        <span data-testid={testIdOf(path)}>{options.find((o) => o.value === value)?.label ?? value}</span>
      ) : (
        <select className="select" value={value} onChange={(e) => onChange(e.target.value as T)} data-testid={testIdOf(path)}>
          {options.map((o) => (
            <option key={o.value} value={o.value}>{o.label}</option>
          ))}
        </select>
      )}
    </Field>
  );
}

export function CheckField({ label, path, errors, readOnly, checked, onChange }: Omit<Common, 'hint' | 'className'> & { checked: boolean; onChange: (v: boolean) => void }) {
  const error = errorAt(errors, path);
  if (readOnly) {
    return (
      <div className="field">
        <span className="field-label">{label}</span>
        <span data-testid={testIdOf(path)}>{checked ? 'Yes' : 'No'}</span>
      </div>
    );
  }
  return (
    <div className={`field${error ? ' has-error' : ''}`}>
      <label className="checkbox">
        <input type="checkbox" checked={checked} onChange={(e) => onChange(e.target.checked)} data-testid={testIdOf(path)} />
        {label}
      </label>
      {error && <span className="field-error" role="alert">{error}</span>}
    </div>
  );
}

/** Errors no field on screen claims: listed at the top of the form so none goes unseen. */
export function OtherErrors({ items }: { items: Array<{ field: string; message: string }> }) {
  if (!items.length) return null;
  return (
    <div className="error-banner" role="alert" data-testid="form-errors">
      <div className="error-body">
        <ul style={{ margin: 0 }}>
          {items.map((e) => (
            <li key={e.field}>
              {e.field !== '(root)' && <code>{e.field}</code>} {e.message}
            </li>
          ))}
        </ul>
      </div>
    </div>
  );
}
