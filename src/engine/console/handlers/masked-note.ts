import { maskFreeText } from '../../compliance/mask-free-text.js';
import { contactValuesOf, type Store } from '../../store/index.js';
import type { RuntimeConfig } from '../../workspace/runtime.js';

/** What the Returns and ledger handlers read. */
export interface LedgerDeps {
  store: Store;
  config: () => RuntimeConfig;
  now: () => number;
}

/** An operator's note may quote the consumer too: masked against the lead's contact values. */
export function maskedNote(d: LedgerDeps, text: string | undefined, leadId: string | undefined): string | null {
  if (!text) return null;
  const lead = leadId ? d.store.getLead(leadId) : null;
  const contact = lead ? [...(d.config().campaigns.get(lead.campaignId)?.contactFields ?? lead.contactFields ?? [])] : [];
  return maskFreeText(text, lead ? contactValuesOf(lead.fields, lead.consent, contact) : []);
}
