import { useMemo, useState } from 'react';
import type { BuyerView } from '../../../shared/console-api.js';
import { ApiError } from '../../api/client.js';
import { href, navigate } from '../../app/router.js';
import { allProblems } from './all-problems.js';
import { consoleStore, useConsole } from '../../store/use-console.js';
import { ConfirmDeleteDialog } from '../../ui/confirm-delete-dialog.js';
import { ErrorBanner } from '../../ui/error-banner.js';
import { ApiKeysPanel } from './api-keys-panel.js';
import type { BuyerForm } from './buyer-form.js';
import { buyerToForm, emptyBuyerSpec } from './buyer-form.js';
import { formToBuyer } from './buyer-form-parse.js';
import { buyerStatus, NOT_IN_TREE_HINT } from './buyer-status.js';
import { BuyerTargetingEditor } from './buyer-targeting-editor.js';
import { EndpointEditor } from './endpoint-editor.js';
import type { FieldErrors } from './field-errors.js';
import { toFieldErrors, unclaimedErrors, withoutDetails } from './field-errors.js';
import { CheckField, OtherErrors, TextField } from './form-controls.js';
import { TestPingPanel } from './test-ping-panel.js';
import { showToast } from '../../ui/toasts.js';
import { useUnsavedGuard } from '../../ui/use-unsaved-guard.js';

/** Route segment for a buyer not saved yet ("~" cannot start a buyer id). */
export const NEW_BUYER = '~new';

const ENDPOINT_PATHS = ['url', 'timeoutMs', 'method', 'headers', 'auth.type', 'auth.token', 'auth.username', 'auth.password', 'auth.header', 'auth.value', 'template.format', 'template.root', 'template.fields', 'template.static', 'template.response'];
/** Every path a field of this editor shows errors for; anything else is listed at the top. */
const SHOWN_PATHS = [
  'id', 'name', 'consentName', 'priority', 'bidAdjustmentPercent', 'active', 'fixedPrice',
  ...ENDPOINT_PATHS.flatMap((p) => [`ping.${p}`, `post.${p}`]),
  'filters.states', 'filters.excludeStates', 'filters.zips', 'filters.excludeZips', 'filters.rules',
  'schedule.timezone', 'schedule.days', 'schedule.from', 'schedule.to', 'caps.hourly', 'caps.daily', 'caps.dailyBudget',
];

/** The buyer editor: everything a BuyerSpec holds, plus pause, keys, test ping and delete. */
export function BuyerEditor({ view, readOnly }: { view: BuyerView | undefined; readOnly: boolean }) {
  const isNew = view === undefined;
  const original = view?.spec;
  const [form, setForm] = useState<BuyerForm>(() => buyerToForm(original ?? emptyBuyerSpec()));
  const [errors, setErrors] = useState<FieldErrors>({});
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [dirty, setDirty] = useState(false);
  const [confirmDelete, setConfirmDelete] = useState(false);
  const campaigns = useConsole((s) => s.config.campaigns);
  const guard = useUnsavedGuard(dirty && !readOnly);
  const fieldNames = useMemo(() => [...new Set(campaigns.flatMap((c) => Object.keys(c.fields)))].sort(), [campaigns]);

  const set = <K extends keyof BuyerForm>(key: K, value: BuyerForm[K]) => {
    setForm((f) => ({ ...f, [key]: value }));
    setDirty(true);
  };

  const run = async (action: () => Promise<void>) => {
    setBusy(true);
    setError(null);
    try {
      await action();
    } catch (e) {
      const fieldErrors = e instanceof ApiError ? toFieldErrors(e.details, 'buyer') : {};
      setErrors(fieldErrors);
      setError(withoutDetails(e));
    } finally {
      setBusy(false);
    }
  };

  const save = () =>
    run(async () => {
      const { spec, errors: local } = formToBuyer(form, original);
      // Whether an existing buyer receives pings is the switch's to change, never a stale form's.
      if (original) {
        if (original.active === undefined) delete spec.active;
        else spec.active = original.active;
      }
      if (isNew && consoleStore.getState().buyers.list.some((b) => b.spec.id === spec.id)) local.id = `A buyer with the id "${spec.id}" already exists`;
      if (Object.keys(local).length) {
        setErrors(await allProblems('buyer', spec, local));
        return;
      }
      setErrors({});
      const result = await consoleStore.getState().buyers.save(spec);
      guard.release();
      setDirty(false);
      showToast(isNew ? `Buyer ${result.spec.name} created` : `${result.spec.name} saved`);
      if (isNew) navigate('buyers', result.spec.id);
    });

  const common = { errors, readOnly };
  const status = view ? buyerStatus(view) : null;
  return (
    <div className="screen" data-testid="buyer-editor">
      <div className="screen-header">
        <div>
          <div className="small"><a href={href('buyers')}>Buyers</a> /</div>
          <h1>
            {isNew ? 'New buyer' : original?.name} {status && <span className={`badge ${status.tone}`} data-testid="buyer-status">{status.label}</span>}
          </h1>
        </div>
        {!readOnly && (
          <div className="actions">
            {view && <ReceivingSwitch view={view} busy={busy} onChange={(receiving) => void run(async () => setReceiving(view, receiving))} />}
            {view && (
              <button type="button" className="btn btn-danger" disabled={busy} onClick={() => setConfirmDelete(true)} data-testid="delete-buyer">
                Delete
              </button>
            )}
            <button type="button" className="btn btn-primary" disabled={busy} onClick={() => void save()} data-testid="save-buyer">
              {busy ? 'Saving…' : isNew ? 'Create buyer' : 'Save'}
            </button>
          </div>
        )}
      </div>
      <ErrorBanner error={error} onDismiss={() => setError(null)} testId="buyer-error" />
      <OtherErrors items={unclaimedErrors(errors, SHOWN_PATHS)} />

      <section className="panel stack" data-testid="buyer-general">
        <div className="grid-3">
          {isNew ? <TextField {...common} label="Id" path="id" value={form.id} onChange={(v) => set('id', v)} placeholder="acme" hint="Letters, digits, - _ . (fixed once created)" mono /> : <TextField {...common} readOnly label="Id" path="id" value={form.id} onChange={() => undefined} mono />}
          <TextField {...common} label="Name" path="name" value={form.name} onChange={(v) => set('name', v)} placeholder="Acme Insurance" />
          <TextField {...common} label="Consent name" path="consentName" value={form.consentName} onChange={(v) => set('consentName', v)} hint="How the buyer is named in consent text (for named-seller campaigns)" />
          <TextField {...common} label="Priority" path="priority" value={form.priority} onChange={(v) => set('priority', v)} placeholder="0" hint="Higher wins ties" />
          <TextField {...common} label="Bid adjustment (%)" path="bidAdjustmentPercent" value={form.bidAdjustment} onChange={(v) => set('bidAdjustment', v)} placeholder="0" hint="Ranking only: −20 ranks a $30 bid as $24; the buyer still pays its bid" />
          {!form.ping.url.trim() && <TextField {...common} label="Fixed price ($)" path="fixedPrice" value={form.fixedPrice} onChange={(v) => set('fixedPrice', v)} hint="No ping URL: this price stands as the bid" />}
          {isNew && <CheckField {...common} label="Start paused (no pings until resumed)" path="paused" checked={!form.active} onChange={(v) => set('active', !v)} />}
        </div>
        {view && !receivingOf(view) && <div className="paused-note">Paused: not pinged or posted until resumed.</div>}
        {view && receivingOf(view) && view.placements.length === 0 && (
          <div className="notice" data-testid="buyer-no-tree">
            {NOT_IN_TREE_HINT}: <a href={href('tiers')}>open the ping tree</a>.
          </div>
        )}
      </section>

      <EndpointEditor path="ping" kind="ping" title="Ping" form={form.ping} onChange={(v) => set('ping', v)} {...common} urlHint="Leave empty for a fixed-price buyer (posts only)" />
      <EndpointEditor path="post" kind="post" title="Post" form={form.post} onChange={(v) => set('post', v)} {...common} />
      <BuyerTargetingEditor form={form} set={set} {...common} fieldNames={fieldNames} />

      {view && (
        <div className="grid-2">
          {/* A read-only copy is for review: it sends nothing to buyers. */}
          {!readOnly && <TestPingPanel buyerId={view.spec.id} campaigns={campaigns} disabledReason={view.spec.ping ? undefined : 'A fixed-price buyer has no ping endpoint.'} />}
          <ApiKeysPanel
            keys={view.keys}
            who={view.spec.name}
            readOnly={readOnly}
            onCreate={() => consoleStore.getState().buyers.createKey(view.spec.id)}
            onRevoke={(keyId) => consoleStore.getState().buyers.revokeKey(keyId)}
          />
        </div>
      )}
      {view && dirty && !readOnly && <div className="muted small">Test pings use the saved configuration: save first to test your changes.</div>}

      {confirmDelete && view && (
        <ConfirmDeleteDialog
          name={view.spec.name}
          noun="buyer"
          consequence="The buyer leaves every ping tree and gets no more pings or posts. Its past auctions stay in the audit trail."
          error={error}
          onCancel={() => setConfirmDelete(false)}
          onConfirm={() =>
            void run(async () => {
              await consoleStore.getState().buyers.remove(view.spec.id);
              guard.release();
              setConfirmDelete(false);
              showToast(`Buyer ${view.spec.name} deleted`);
              navigate('buyers');
            })
          }
        />
      )}
    </div>
  );
}

/** A buyer receives pings when it is neither paused nor switched off (`active: false` in a workspace file). */
function receivingOf(view: BuyerView): boolean {
  return !view.paused && view.spec.active !== false;
}

/** Turning a buyer on clears both ways it can be off; turning it off pauses it (reversible at once). */
async function setReceiving(view: BuyerView, receiving: boolean): Promise<void> {
  const buyers = consoleStore.getState().buyers;
  if (receiving && view.spec.active === false) await buyers.save({ ...view.spec, active: true, paused: false });
  else await buyers.setPaused(view.spec.id, !receiving);
  // Cheap to reverse, so the toast offers it: Undo puts the buyer back as it was.
  const undo = { label: 'Undo', run: async () => void (await buyers.setPaused(view.spec.id, receiving)) };
  showToast(receiving ? `${view.spec.name} resumed: it receives pings again` : `${view.spec.name} paused: no pings or posts until resumed`, { action: undo });
}

/** The one Active / Paused control: a switch that says what the buyer does now. */
function ReceivingSwitch({ view, busy, onChange }: { view: BuyerView; busy: boolean; onChange: (receiving: boolean) => void }) {
  const on = receivingOf(view);
  return (
    <button type="button" role="switch" aria-checked={on} className={`btn switch${on ? ' switch-on' : ''}`} disabled={busy} data-testid="toggle-pause" onClick={() => onChange(!on)}>
      <span className="switch-track" aria-hidden="true"><span className="switch-thumb" /></span>
      {on ? 'Active' : 'Paused'}
    </button>
  );
}
