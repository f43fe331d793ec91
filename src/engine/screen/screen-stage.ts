import type { ErrorCode, ErrorDetail } from '../../shared/errors.js';
import type { AcceptedLead, IntakeAnswer } from '../intake/lead-intake.js';
import type { Store } from '../store/index.js';
import type { ScreenResult, ScreenVendor } from './screen-types.js';
import { verdictOf, type Screener } from './screener.js';

export interface ScreenStageDeps {
  store: Store;
  screener: Screener;
  now: () => number;
  onRefused: (code: ErrorCode, sourceId: string | null) => void;
}

/** Where each vendor's input comes from, as a refusal's `details` name it. */
const INPUT_FIELD: Record<ScreenVendor, string> = { trustedform: 'consent.trustedform_cert_url', trestle: 'fields.phone', ipqs: 'consent.ip' };

/**
 * Runs the campaign's screening rules on a lead that is already stored with its `received` and
 * `validated` events, and before any buyer hears of it. The results are stored on the lead and in a
 * `screened` event (codes and numbers only). A rejection closes the lead `screened_out` and answers
 * the source `422 screened_out` with the lead id; a flag or a pass returns null and the auction runs.
 */
export async function screenLead(deps: ScreenStageDeps, lead: AcceptedLead): Promise<IntakeAnswer | null> {
  const rules = lead.campaign.screening;
  if (!rules.length) return null;
  const phone = typeof lead.fields.phone === 'string' ? lead.fields.phone : null;
  const results = await deps.screener.run(rules, { leadId: lead.leadId, phone, ip: lead.consent.ip ?? null, certUrl: lead.consent.trustedform_cert_url ?? null });
  const at = deps.now();
  const verdict = verdictOf(results);
  deps.store.insertScreenings(lead.leadId, results.map((r) => ({ ...r, at })));
  deps.store.appendAudit({ leadId: lead.leadId, type: 'screened', actor: 'engine', at, data: { verdict, results: results.map(trailEntry) } });
  if (verdict !== 'reject') return null;
  deps.store.updateLead(lead.leadId, { status: 'screened_out' });
  deps.onRefused('screened_out', lead.source.id);
  const details: ErrorDetail[] = results.filter((r) => r.verdict === 'reject').map((r) => ({ field: INPUT_FIELD[r.vendor], message: `${r.vendor}: ${r.code}` }));
  return { status: 422, body: { error: 'screened_out', message: 'The lead did not pass the campaign\'s screening', lead_id: lead.leadId, details } };
}

/** The trail's copy of a result: vendor, outcome, code, score, status, latency, verdict; nothing the vendor wrote. */
function trailEntry(r: ScreenResult): Record<string, unknown> {
  return { vendor: r.vendor, outcome: r.outcome, code: r.code, score: r.score, httpStatus: r.httpStatus, latencyMs: r.latencyMs, verdict: r.verdict };
}
