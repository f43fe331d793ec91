import { useState } from 'react';
import type { SourceView } from '../../../shared/console-api.js';
import type { CampaignSpec, SourceSpec } from '../../../shared/domain.js';
import { ApiError } from '../../api/client.js';
import { navigate } from '../../app/router.js';
import { allProblems } from '../buyers/all-problems.js';
import { showToast } from '../../ui/toasts.js';
import { useUnsavedGuard } from '../../ui/use-unsaved-guard.js';
import { consoleStore } from '../../store/use-console.js';
import { ConfirmDeleteDialog } from '../../ui/confirm-delete-dialog.js';
import { ErrorBanner } from '../../ui/error-banner.js';
import { Field } from '../../ui/field.js';
import { ApiKeysPanel } from '../buyers/api-keys-panel.js';
import type { FieldErrors } from '../buyers/field-errors.js';
import { errorAt, parseDollars, parseOptionalNumber, toFieldErrors, unclaimedErrors, withoutDetails } from '../buyers/field-errors.js';
import { CheckField, OtherErrors, SelectField, TextField } from '../buyers/form-controls.js';

export const NEW_SOURCE = '~new';

interface SourceForm {
  id: string;
  name: string;
  campaigns: string[];
  rateLimit: string;
  active: boolean;
  /** '' : the campaign's payout. */
  payoutType: '' | 'fixed' | 'percent';
  payoutValue: string;
}

const PAYOUT_OPTIONS = [
  { value: '', label: "The campaign's payout" },
  { value: 'fixed', label: 'Fixed amount ($)' },
  { value: 'percent', label: 'Revenue share (%)' },
] as const;

function toSpec(form: SourceForm, original: SourceSpec | undefined): { spec: SourceSpec; errors: FieldErrors } {
  const errors: FieldErrors = {};
  const spec: SourceSpec = { ...(original ?? {}), id: form.id.trim(), name: form.name.trim(), campaigns: form.campaigns, active: form.active };
  delete spec.rateLimitPerMinute;
  const limit = parseOptionalNumber(form.rateLimit);
  if (limit !== undefined && (Number.isNaN(limit) || !Number.isInteger(limit) || limit <= 0)) errors.rateLimitPerMinute = 'Enter a whole number of leads per minute, or leave it empty for no limit';
  else if (limit !== undefined) spec.rateLimitPerMinute = limit;
  delete spec.payout;
  if (form.payoutType) {
    const value = form.payoutType === 'fixed' ? parseDollars(form.payoutValue) : parseOptionalNumber(form.payoutValue);
    if (value === undefined || Number.isNaN(value) || value < 0 || (form.payoutType === 'percent' && value > 100)) {
      errors['payout.value'] = form.payoutType === 'percent' ? 'Enter a share from 0 to 100' : 'Enter an amount in dollars, 0 or more, e.g. 15.00';
    } else spec.payout = { type: form.payoutType, value };
  }
  return { spec, errors };
}

/** A lead source (publisher): the campaigns it may send to, its rate limit and its API keys. */
export function SourceEditor({ view, campaigns, readOnly, existingIds }: { view: SourceView | undefined; campaigns: CampaignSpec[]; readOnly: boolean; existingIds: string[] }) {
  const original = view?.spec;
  const isNew = view === undefined;
  const [form, setForm] = useState<SourceForm>(() => ({
    id: original?.id ?? '',
    name: original?.name ?? '',
    campaigns: original?.campaigns ?? [],
    rateLimit: original?.rateLimitPerMinute?.toString() ?? '',
    active: original?.active !== false,
    payoutType: original?.payout?.type ?? '',
    payoutValue: original?.payout?.value.toString() ?? '',
  }));
  const [errors, setErrors] = useState<FieldErrors>({});
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [confirmDelete, setConfirmDelete] = useState(false);
  const [dirty, setDirty] = useState(false);
  const guard = useUnsavedGuard(dirty && !readOnly);
  const set = <K extends keyof SourceForm>(key: K, value: SourceForm[K]) => {
    setForm((f) => ({ ...f, [key]: value }));
    setDirty(true);
  };

  const run = async (action: () => Promise<void>) => {
    setBusy(true);
    setError(null);
    try {
      await action();
    } catch (e) {
      setErrors(e instanceof ApiError ? toFieldErrors(e.details, 'source') : {});
      setError(withoutDetails(e));
    } finally {
      setBusy(false);
    }
  };

  const save = () =>
    run(async () => {
      const { spec, errors: local } = toSpec(form, original);
      if (isNew && existingIds.includes(spec.id)) local.id = `A source with the id "${spec.id}" already exists`;
      if (Object.keys(local).length) {
        setErrors(await allProblems('source', spec, local));
        return;
      }
      setErrors({});
      const result = await consoleStore.getState().config.saveSource(spec);
      guard.release();
      setDirty(false);
      showToast(isNew ? `Source ${result.spec.name} created` : `${result.spec.name} saved`);
      if (isNew) navigate('sources', result.spec.id);
    });

  const common = { errors, readOnly };
  const toggle = (id: string, on: boolean) => set('campaigns', on ? [...form.campaigns, id] : form.campaigns.filter((c) => c !== id));
  return (
    <div className="stack" data-testid="source-editor">
      <div className="screen-header">
        <h2 style={{ margin: 0 }}>{isNew ? 'New source' : original?.name}</h2>
        {!readOnly && (
          <div className="actions">
            {!isNew && <button type="button" className="btn btn-danger" onClick={() => setConfirmDelete(true)} data-testid="delete-source">Delete</button>}
            <button type="button" className="btn btn-primary" disabled={busy} onClick={() => void save()} data-testid="save-source">{busy ? 'Saving…' : isNew ? 'Create source' : 'Save'}</button>
          </div>
        )}
      </div>
      <ErrorBanner error={error} onDismiss={() => setError(null)} testId="source-error" />
      <OtherErrors items={unclaimedErrors(errors, ['id', 'name', 'campaigns', 'rateLimitPerMinute', 'active', 'payout', 'payout.value', 'payout.type'])} />
      <section className="panel grid-2">
        <TextField {...common} readOnly={readOnly || !isNew} label="Id" path="id" value={form.id} onChange={(v) => set('id', v)} placeholder="pub-1" mono />
        <TextField {...common} label="Name" path="name" value={form.name} onChange={(v) => set('name', v)} placeholder="Quotes Site" />
        <TextField {...common} label="Rate limit (leads per minute)" path="rateLimitPerMinute" value={form.rateLimit} onChange={(v) => set('rateLimit', v)} placeholder="no limit" hint="Beyond it the intake answers 429" />
        <CheckField {...common} label="Active" path="active" checked={form.active} onChange={(v) => set('active', v)} />
        <SelectField {...common} label="Payout" path="payout.type" value={form.payoutType} onChange={(v) => set('payoutType', v)} options={PAYOUT_OPTIONS} hint="What this source is paid per sale; replaces the campaign's payout" />
        {form.payoutType && (
          <TextField {...common} label={form.payoutType === 'percent' ? 'Share of the sale price (%)' : 'Amount per sale ($)'} path="payout.value" value={form.payoutValue} onChange={(v) => set('payoutValue', v)} placeholder={form.payoutType === 'percent' ? '70' : '15'} />
        )}
        <Field label="Campaigns it may send to" error={errorAt(errors, 'campaigns')}>
          {readOnly ? (
            <span>{form.campaigns.map((id) => campaigns.find((c) => c.id === id)?.name ?? id).join(', ') || 'none'}</span>
          ) : (
            <span className="stack" style={{ gap: 2 }} role="group" aria-label="Campaigns" data-testid="source-campaigns">
              {campaigns.map((c) => (
                <label key={c.id} className="checkbox">
                  <input type="checkbox" checked={form.campaigns.includes(c.id)} onChange={(e) => toggle(c.id, e.target.checked)} />
                  {c.name} <span className="muted mono small">{c.id}</span>
                </label>
              ))}
              {campaigns.length === 0 && <span className="muted small">No campaigns yet.</span>}
            </span>
          )}
        </Field>
      </section>
      {view && (
        <ApiKeysPanel
          keys={view.keys}
          who={view.spec.name}
          readOnly={readOnly}
          onCreate={() => consoleStore.getState().config.createSourceKey(view.spec.id)}
          onRevoke={(keyId) => consoleStore.getState().config.revokeSourceKey(keyId)}
        />
      )}
      {confirmDelete && view && (
        <ConfirmDeleteDialog
          name={view.spec.name}
          noun="source"
          consequence="Its keys stop working at once. Leads it already sent stay in the audit trail."
          error={error}
          onCancel={() => setConfirmDelete(false)}
          onConfirm={() =>
            void run(async () => {
              await consoleStore.getState().config.deleteSource(view.spec.id);
              guard.release();
              setConfirmDelete(false);
              showToast(`Source ${view.spec.name} deleted`);
              navigate('sources');
            })
          }
        />
      )}
    </div>
  );
}
