import { useEffect, useState } from 'react';
import { api } from '../../api/client.js';
import type { DynamicFloorView, FloorLimitView } from '../../../shared/market-views.js';
import { consoleStore, useConfigVersion, useConsole } from '../../store/use-console.js';
import { Dialog } from '../../ui/dialog.js';
import { errorMessage } from '../../ui/errors.js';
import { Field } from '../../ui/field.js';
import { formatClock, formatMoney } from '../../ui/format.js';
import { useApi } from '../../ui/use-api.js';
import { describeDynamicFloor, dynamicFloorForm, parseDynamicFloorForm, type DynamicFloorForm, type FormErrors } from './dynamic-floor-form.js';

/** While a dynamic floor is on, its status is read again this often (the engine moves it on its own). */
const REFRESH_MS = 3000;

const LIMIT_TEXT: Record<Exclude<FloorLimitView, null>, string> = { min: 'held at the minimum', max: 'held at the maximum', step: 'step limit' };

/**
 * Under a tier's floor: a "dynamic" badge with what the floor follows, its last change and why the
 * next one waits, and (unless read-only) the dialog that turns it on or off and sets its bounds.
 */
export function DynamicFloorControl({ campaignId, tierIndex, readOnly }: { campaignId: string; tierIndex: number; readOnly: boolean }) {
  const tier = useConsole((s) => s.config.campaigns.find((c) => c.id === campaignId)?.tiers[tierIndex]);
  const version = useConfigVersion();
  const status = useApi(() => api['floors.dynamic']({ campaignId }), [campaignId, version]);
  const [editing, setEditing] = useState(false);
  const spec = tier?.dynamicFloor;
  const { reload } = status;
  useEffect(() => {
    if (!spec?.enabled) return;
    const timer = setInterval(reload, REFRESH_MS);
    return () => clearInterval(timer);
  }, [spec?.enabled, reload]);
  if (!tier) return null;
  const view: DynamicFloorView | undefined = status.data?.[tierIndex];

  return (
    <div className="stack" style={{ gap: 2 }} data-testid={`dynamic-floor-${tierIndex}`}>
      <span className="toolbar" style={{ gap: 4, flexWrap: 'wrap' }}>
        {spec?.enabled && <span className="badge badge-ok" title={describeDynamicFloor(spec, formatMoney)} data-testid={`dynamic-floor-badge-${tierIndex}`}>dynamic</span>}
        {spec && !spec.enabled && <span className="badge badge-muted" data-testid={`dynamic-floor-badge-${tierIndex}`}>dynamic off</span>}
        {!readOnly && (
          <button type="button" className="btn btn-small" onClick={() => setEditing(true)} data-testid={`dynamic-floor-edit-${tierIndex}`}>
            {spec ? 'Dynamic…' : 'Make dynamic…'}
          </button>
        )}
      </span>
      {spec?.enabled && <span className="muted small">{describeDynamicFloor(spec, formatMoney)}</span>}
      {spec && view?.lastChange && (
        <span className="small tabular" data-testid={`dynamic-floor-last-${tierIndex}`}>
          Last change {formatClock(view.lastChange.at).slice(0, 8)}: {formatMoney(view.lastChange.from)} → {formatMoney(view.lastChange.to)}
          {view.lastChange.limitedBy ? ` (${LIMIT_TEXT[view.lastChange.limitedBy]})` : ''} · {view.lastChange.samples} samples
        </span>
      )}
      {spec?.enabled && view?.next?.kind === 'too_few_samples' && (
        <span className="muted small" data-testid={`dynamic-floor-waiting-${tierIndex}`}>
          No change: {view.next.samples} of {view.next.needed} samples in the window
        </span>
      )}
      {editing && <DynamicFloorDialog campaignId={campaignId} tierIndex={tierIndex} tierName={tier.name} floor={tier.floor} onClose={() => setEditing(false)} />}
    </div>
  );
}

function DynamicFloorDialog({ campaignId, tierIndex, tierName, floor, onClose }: { campaignId: string; tierIndex: number; tierName: string; floor: number; onClose: () => void }) {
  const spec = useConsole((s) => s.config.campaigns.find((c) => c.id === campaignId)?.tiers[tierIndex]?.dynamicFloor);
  const [form, setForm] = useState<DynamicFloorForm>(() => dynamicFloorForm(spec, floor));
  const [errors, setErrors] = useState<FormErrors>({});
  const [failure, setFailure] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const set = <K extends keyof DynamicFloorForm>(key: K, value: DynamicFloorForm[K]) => setForm((f) => ({ ...f, [key]: value }));

  const send = async (dynamicFloor: unknown) => {
    setSaving(true);
    try {
      const saved = await api['tiers.setDynamicFloor']({ campaignId, tierIndex, dynamicFloor });
      consoleStore.getState().config.putCampaign(saved);
      onClose();
    } catch (err) {
      setFailure(errorMessage(err));
    } finally {
      setSaving(false);
    }
  };
  const save = () => {
    const parsed = parseDynamicFloorForm(form);
    setErrors(parsed.ok ? {} : parsed.errors);
    if (parsed.ok) void send(parsed.spec);
  };
  const text = (key: Exclude<keyof DynamicFloorForm, 'enabled' | 'basis'>, label: string, hint?: string) => (
    <Field label={label} error={errors[key]} hint={hint}>
      <input className="input tabular" value={form[key]} onChange={(e) => set(key, e.target.value)} data-testid={`dynamic-floor-${key}`} />
    </Field>
  );

  return (
    <Dialog
      title={`Dynamic floor · ${tierName}`}
      onClose={onClose}
      onSubmit={save}
      testId="dynamic-floor-dialog"
      footer={
        <>
          {spec && (
            <button type="button" className="btn btn-danger" disabled={saving} onClick={() => void send(null)} data-testid="dynamic-floor-remove">
              Remove settings
            </button>
          )}
          <button type="button" className="btn" onClick={onClose}>Cancel</button>
          <button type="submit" className="btn btn-primary" disabled={saving} data-testid="dynamic-floor-save">Save</button>
        </>
      }
    >
      <p className="muted small" style={{ marginTop: 0 }}>
        The engine moves this tier’s floor towards a percentile of the market, within the bounds, by at most one step per interval.
        Every change is in the audit trail with its reason. Off, the floor stays where it is.
      </p>
      <label className="checkbox">
        <input type="checkbox" checked={form.enabled} onChange={(e) => set('enabled', e.target.checked)} data-testid="dynamic-floor-enabled" />
        On
      </label>
      <Field label="Follows">
        <select className="select" value={form.basis} onChange={(e) => set('basis', e.target.value as DynamicFloorForm['basis'])} data-testid="dynamic-floor-basis">
          <option value="winningBids">this tier’s winning bids</option>
          <option value="predictedValue">the campaign’s predicted lead values</option>
        </select>
      </Field>
      {text('percentile', 'Percentile', '25 = a quarter of the samples were lower')}
      {text('windowMinutes', 'Window (minutes)', 'samples from this far back')}
      {text('minSamples', 'Minimum samples', 'fewer: the floor is left alone')}
      {text('min', 'Lowest floor ($)')}
      {text('max', 'Highest floor ($)')}
      {text('maxStep', 'Largest step ($)')}
      {text('intervalSeconds', 'Interval (seconds)', 'at most one change per interval')}
      {failure && <div className="field-error" role="alert" data-testid="dynamic-floor-failure">{failure}</div>}
    </Dialog>
  );
}
