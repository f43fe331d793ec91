import { useState } from 'react';
import type { CampaignSpec } from '../../../shared/domain.js';
import type { ErrorDetail } from '../../../shared/errors.js';
import { api } from '../../api/client.js';
import { Dialog } from '../../ui/dialog.js';
import { ErrorBanner } from '../../ui/error-banner.js';
import { errorDetails, fieldError } from '../../ui/errors.js';
import { Field } from '../../ui/field.js';
import { showToast } from '../../ui/toasts.js';
import { draftFromTiers, parseAbStart, type AbStartDraft } from './ab-start-form.js';

/**
 * Starts an A/B test: variant B begins as a copy of the campaign's tree; the operator changes its
 * floors or moves buyers between its tiers, picks the share of leads it gets, and starts it.
 */
export function AbStartDialog({ campaign, buyerIds, onClose, onStarted }: { campaign: CampaignSpec; buyerIds: string[]; onClose: () => void; onStarted: () => void }) {
  const [draft, setDraft] = useState<AbStartDraft>(() => draftFromTiers(campaign.tiers, new Date()));
  const [problems, setProblems] = useState<ErrorDetail[]>([]);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  const problem = (field: string) => problems.find((p) => p.field === field)?.message ?? fieldError(error, field) ?? fieldError(error, `abTest.variantB.${field}`);
  /** The engine names the exact buyer (`tiers[0].buyers[2]`); the form shows it on the tier's row. */
  const buyerProblem = (i: number) => errorDetails(error).find((d) => d.field.startsWith(`abTest.variantB.tiers[${i}].buyers`))?.message;
  const setTier = (i: number, patch: Partial<AbStartDraft['tiers'][number]>) => setDraft((d) => ({ ...d, tiers: d.tiers.map((t, j) => (j === i ? { ...t, ...patch } : t)) }));

  const start = async () => {
    const parsed = parseAbStart(draft, campaign.tiers);
    setProblems(parsed.ok ? [] : parsed.problems);
    setError(null);
    if (!parsed.ok) return;
    setBusy(true);
    try {
      await api['ab.start']({ campaignId: campaign.id, name: parsed.name, splitPercent: parsed.splitPercent, tiers: parsed.tiers });
      showToast(`A/B test "${parsed.name}" started: variant B gets ${parsed.splitPercent}% of leads`);
      onStarted();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Dialog
      title="Start an A/B test of this ping tree"
      testId="ab-start-dialog"
      wide
      onClose={onClose}
      onSubmit={() => void start()}
      footer={
        <>
          <button type="button" className="btn" onClick={onClose}>Cancel</button>
          <button type="submit" className="btn btn-primary" disabled={busy} data-testid="ab-start-submit">Start test</button>
        </>
      }
    >
      <p className="muted small" style={{ margin: 0 }}>
        Variant A is the campaign’s tree as it is. Variant B starts as a copy: change its floors or its buyers below. Each lead goes to one
        variant, picked from its id, and the same rules (filters, caps, schedules, consent, the campaign minimum) apply in both.
      </p>
      <div className="grid-2">
        <Field label="Test name" error={problem('name')} hint="Names the test in the audit trail; used once per campaign.">
          <input className="input" value={draft.name} onChange={(e) => setDraft({ ...draft, name: e.target.value })} data-testid="ab-name" />
        </Field>
        <Field label="Leads to variant B (%)" error={problem('splitPercent')}>
          <input className="input tabular" inputMode="numeric" value={draft.split} onChange={(e) => setDraft({ ...draft, split: e.target.value })} data-testid="ab-split" />
        </Field>
      </div>
      <table className="table" aria-label="Variant B tiers">
        <thead>
          <tr><th>Variant B tier</th><th>Floor ($)</th><th>Buyers (comma separated ids)</th></tr>
        </thead>
        <tbody>
          {draft.tiers.map((t, i) => (
            <tr key={i}>
              <td><input className="input" aria-label={`Tier ${i + 1} name`} value={t.name} onChange={(e) => setTier(i, { name: e.target.value })} /></td>
              <td>
                <input className="input tabular" style={{ width: 100 }} aria-label={`Tier ${i + 1} floor in dollars`} aria-invalid={problem(`tiers[${i}].floor`) ? true : undefined} value={t.floor} onChange={(e) => setTier(i, { floor: e.target.value })} data-testid={`ab-tier-floor-${i}`} />
                <CellError message={problem(`tiers[${i}].floor`)} />
              </td>
              <td>
                <input className="input" aria-label={`Tier ${i + 1} buyers`} value={t.buyers} onChange={(e) => setTier(i, { buyers: e.target.value })} data-testid={`ab-tier-buyers-${i}`} />
                <CellError message={buyerProblem(i)} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {draft.tiers.length === 0 && <p className="muted small">The campaign has no tiers yet: add tiers to the tree before testing a variant of it.</p>}
      <p className="muted small" style={{ margin: 0 }}>Known buyers: {buyerIds.join(', ') || 'none'}.</p>
      <ErrorBanner error={problems.length ? null : error} />
    </Dialog>
  );
}

function CellError({ message }: { message: string | undefined }) {
  return message ? <span className="field-error" role="alert">{message}</span> : null;
}
