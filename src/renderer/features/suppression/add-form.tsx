import { useState, type FormEvent } from 'react';
import { consoleStore, useConsole } from '../../store/use-console.js';
import { ErrorBanner } from '../../ui/error-banner.js';
import { Field } from '../../ui/field.js';

/** Adds one or a few values by hand: phones or emails, separated by commas or new lines. */
export function AddForm() {
  const [text, setText] = useState('');
  const [busy, setBusy] = useState(false);
  const lastAdd = useConsole((s) => s.suppression.lastAdd);
  const addError = useConsole((s) => s.suppression.addError);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const values = text.split(/[\n,;]+/);
    setBusy(true);
    const result = await consoleStore.getState().suppression.add(values);
    setBusy(false);
    if (result && result.refused.length === 0) setText('');
  };

  return (
    <section className="panel" data-testid="suppression-add">
      <form className="stack" onSubmit={(e) => void submit(e)}>
        <h2 style={{ margin: 0 }}>Add values</h2>
        <Field label="Phone or email" hint="Several at once: separate with commas or new lines.">
          <input className="input" value={text} onChange={(e) => setText(e.target.value)} placeholder="+15125550142, ana@example.com" data-testid="suppression-add-input" />
        </Field>
        <div className="toolbar">
          <button type="submit" className="btn btn-primary" disabled={busy || !text.trim()} data-testid="suppression-add-button">
            Add
          </button>
          {lastAdd && (
            <span className="small" role="status" data-testid="suppression-add-result">
              {lastAdd.added} added{lastAdd.refused.length > 0 && `, ${lastAdd.refused.length} refused`}
            </span>
          )}
        </div>
        {lastAdd && lastAdd.refused.length > 0 && (
          <ul className="small text-bad" style={{ margin: 0, paddingLeft: 18 }}>
            {lastAdd.refused.map((r) => (
              <li key={r.value}>
                <code>{r.value}</code>: {r.reason}
              </li>
            ))}
          </ul>
        )}
        <ErrorBanner error={addError} />
      </form>
    </section>
  );
}
