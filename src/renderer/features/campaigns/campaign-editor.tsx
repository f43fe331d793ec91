import { useState } from 'react';
import type { CampaignSpec } from '../../../shared/domain.js';
import { ApiError } from '../../api/client.js';
import { navigate } from '../../app/router.js';
import { allProblems } from '../buyers/all-problems.js';
import { showToast } from '../../ui/toasts.js';
import { useUnsavedGuard } from '../../ui/use-unsaved-guard.js';
import { consoleStore } from '../../store/use-console.js';
import { ConfirmDeleteDialog } from '../../ui/confirm-delete-dialog.js';
import { ErrorBanner } from '../../ui/error-banner.js';
import type { FieldErrors } from '../buyers/field-errors.js';
import { toFieldErrors, unclaimedErrors, withoutDetails } from '../buyers/field-errors.js';
import { CheckField, OtherErrors, SelectField, TextField } from '../buyers/form-controls.js';
import type { CampaignForm } from './campaign-form.js';
import { campaignToForm, emptyCampaign, formToCampaign, rekeyPingErrors } from './campaign-form.js';
import { FieldsTable } from './fields-table.js';
import { ScreeningTable } from './screening-table.js';

export const NEW_CAMPAIGN = '~new';

const SHOWN_PATHS = ['id', 'name', 'vertical', 'fields', 'minPrice', 'payout', 'margin', 'pingTimeoutMs', 'postTimeoutMs', 'auctionTimeoutMs', 'maxPostAttempts', 'maxSales', 'failOverOnUnknownPost', 'duplicateWindowDays', 'requireNamedSeller', 'active', 'screening'];
const RULE_TYPES = [
  { value: 'percent', label: '% of price' },
  { value: 'fixed', label: '$ fixed' },
] as const;

/** One campaign: its field schema and ping fields, pricing rules and timing. Tiers live on the Ping tree screen. */
export function CampaignEditor({ campaign, readOnly, existingIds }: { campaign: CampaignSpec | undefined; readOnly: boolean; existingIds: string[] }) {
  const isNew = campaign === undefined;
  const [form, setForm] = useState<CampaignForm>(() => campaignToForm(campaign ?? emptyCampaign()));
  const [errors, setErrors] = useState<FieldErrors>({});
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [confirmDelete, setConfirmDelete] = useState(false);
  const [dirty, setDirty] = useState(false);
  const guard = useUnsavedGuard(dirty && !readOnly);
  const set = <K extends keyof CampaignForm>(key: K, value: CampaignForm[K]) => {
    setForm((f) => ({ ...f, [key]: value }));
    setDirty(true);
  };

  const run = async (action: () => Promise<void>, pingFields: string[] = []) => {
    setBusy(true);
    setError(null);
    try {
      await action();
    } catch (e) {
      setErrors(e instanceof ApiError ? rekeyPingErrors(toFieldErrors(e.details, 'campaign'), pingFields) : {});
      setError(withoutDetails(e));
    } finally {
      setBusy(false);
    }
  };

  const save = () => {
    const { spec, errors: local } = formToCampaign(form, campaign);
    if (isNew && existingIds.includes(spec.id)) local.id = `A campaign with the id "${spec.id}" already exists`;
    return run(async () => {
      if (Object.keys(local).length) {
        setErrors(rekeyPingErrors(await allProblems('campaign', spec, local), spec.pingFields));
        return;
      }
      setErrors({});
      const result = await consoleStore.getState().config.saveCampaign(spec);
      guard.release();
      setDirty(false);
      showToast(isNew ? `Campaign ${result.name} created` : `${result.name} saved`);
      if (isNew) navigate('campaigns', result.id);
    }, spec.pingFields);
  };

  const common = { errors, readOnly };
  return (
    <div className="stack" data-testid="campaign-editor">
      <div className="screen-header">
        <h2 style={{ margin: 0 }}>{isNew ? 'New campaign' : campaign.name}</h2>
        {!readOnly && (
          <div className="actions">
            {!isNew && <button type="button" className="btn btn-danger" onClick={() => setConfirmDelete(true)} data-testid="delete-campaign">Delete</button>}
            <button type="button" className="btn btn-primary" disabled={busy} onClick={() => void save()} data-testid="save-campaign">{busy ? 'Saving…' : isNew ? 'Create campaign' : 'Save'}</button>
          </div>
        )}
      </div>
      <ErrorBanner error={error} onDismiss={() => setError(null)} testId="campaign-error" />
      <OtherErrors items={unclaimedErrors(errors, SHOWN_PATHS)} />
      <section className="panel grid-3">
        <TextField {...common} readOnly={readOnly || !isNew} label="Id" path="id" value={form.id} onChange={(v) => set('id', v)} placeholder="auto-insurance" mono />
        <TextField {...common} label="Name" path="name" value={form.name} onChange={(v) => set('name', v)} placeholder="Auto insurance" />
        <TextField {...common} label="Vertical" path="vertical" value={form.vertical} onChange={(v) => set('vertical', v)} placeholder="auto-insurance" />
        <CheckField {...common} label="Active" path="active" checked={form.active} onChange={(v) => set('active', v)} />
        <CheckField {...common} label="Require named seller (buyer must be named in the consent)" path="requireNamedSeller" checked={form.requireNamedSeller} onChange={(v) => set('requireNamedSeller', v)} />
      </section>
      <section className="panel stack">
        <h2>Fields</h2>
        <FieldsTable rows={form.fields} onChange={(rows) => set('fields', rows)} errors={errors} readOnly={readOnly} />
      </section>
      <section className="panel stack">
        <h2>Pricing</h2>
        <div className="grid-3">
          <TextField {...common} label="Minimum price ($)" path="minPrice" value={form.minPrice} onChange={(v) => set('minPrice', v)} />
          <div className="grid-2">
            <SelectField {...common} label="Source payout" path="payout.type" value={form.payoutType} onChange={(v) => set('payoutType', v)} options={RULE_TYPES} />
            <TextField {...common} label={form.payoutType === 'percent' ? 'Payout (%)' : 'Payout ($)'} path="payout.value" value={form.payoutValue} onChange={(v) => set('payoutValue', v)} />
          </div>
          <div className="grid-2">
            <SelectField {...common} label="Broker margin" path="margin.type" value={form.marginType} onChange={(v) => set('marginType', v)} options={RULE_TYPES} />
            <TextField {...common} label={form.marginType === 'percent' ? 'Margin (%)' : 'Margin ($)'} path="margin.value" value={form.marginValue} onChange={(v) => set('marginValue', v)} />
          </div>
        </div>
        <div className="muted small">A bid that cannot pay both the source payout and the broker margin counts as below the floor.</div>
      </section>
      <section className="panel grid-3">
        <TextField {...common} label="Ping timeout (ms)" path="pingTimeoutMs" value={form.pingTimeoutMs} onChange={(v) => set('pingTimeoutMs', v)} />
        <TextField {...common} label="Post timeout (ms)" path="postTimeoutMs" value={form.postTimeoutMs} onChange={(v) => set('postTimeoutMs', v)} />
        <TextField {...common} label="Duplicate window (days)" path="duplicateWindowDays" value={form.duplicateWindowDays} onChange={(v) => set('duplicateWindowDays', v)} hint="0 accepts repeats" />
        <TextField {...common} label="Auction timeout (ms)" path="auctionTimeoutMs" value={form.auctionTimeoutMs} onChange={(v) => set('auctionTimeoutMs', v)} hint="The source is answered by then; empty: 5000 ms" />
        <TextField {...common} label="Max buyers per lead" path="maxPostAttempts" value={form.maxPostAttempts} onChange={(v) => set('maxPostAttempts', v)} hint="How many buyers may receive the full record" />
        <TextField {...common} label="Sales per lead" path="maxSales" value={form.maxSales} onChange={(v) => set('maxSales', v)} placeholder="1 (exclusive)" hint="Shared leads: sold to up to this many buyers" />
        <CheckField {...common} label="Fail over when a post has no clear answer (the first buyer may also hold the lead)" path="failOverOnUnknownPost" checked={form.failOverOnUnknownPost} onChange={(v) => set('failOverOnUnknownPost', v)} />
      </section>
      <section className="panel stack">
        <h2>Screening</h2>
        <ScreeningTable rows={form.screening} onChange={(rows) => set('screening', rows)} errors={errors} readOnly={readOnly} />
      </section>
      {confirmDelete && campaign && (
        <ConfirmDeleteDialog
          name={campaign.name}
          noun="campaign"
          consequence="Sources can no longer send leads to it and its ping tree is gone. Past leads and auctions stay in the audit trail."
          error={error}
          onCancel={() => setConfirmDelete(false)}
          onConfirm={() =>
            void run(async () => {
              await consoleStore.getState().config.deleteCampaign(campaign.id);
              guard.release();
              setConfirmDelete(false);
              showToast(`Campaign ${campaign.name} deleted`);
              navigate('campaigns');
            })
          }
        />
      )}
    </div>
  );
}
