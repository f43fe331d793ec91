import { PingdeskError } from '../../shared/errors.js';
import { maskFreeText } from '../compliance/mask-free-text.js';
import { decideReturn, requestReturn } from '../ledger/returns.js';
import { revenueSummary, statement, toBalanceView, toEntryView, toReturnView } from '../ledger/ledger-views.js';
import { toCents } from '../money.js';
import { contactValuesOf, type Store } from '../store/index.js';
import type { RuntimeConfig } from '../workspace/runtime.js';
import type { ConsoleHandlers } from './console-host.js';

type LedgerMethods = 'returns.list' | 'returns.request' | 'returns.decide' | 'ledger.entries' | 'ledger.balances' | 'ledger.statement' | 'ledger.summary' | 'ledger.adjust';

/** The Returns screen and Reports → Statements: returns, balances, statements and manual adjustments. */
export function ledgerHandlers(d: { store: Store; config: () => RuntimeConfig; now: () => number }): Pick<ConsoleHandlers, LedgerMethods> {
  const { store } = d;
  const book = (): ReturnType<Store['ledgerBook']> => store.ledgerBook();
  /** An operator's note may quote the consumer too: masked against the lead's contact values. */
  const masked = (text: string | undefined, leadId: string | undefined): string | null => {
    if (!text) return null;
    const lead = leadId ? store.getLead(leadId) : null;
    const contact = lead ? [...(d.config().campaigns.get(lead.campaignId)?.contactFields ?? lead.contactFields ?? [])] : [];
    return maskFreeText(text, lead ? contactValuesOf(lead.fields, lead.consent, contact) : []);
  };
  return {
    'returns.list': ({ status, limit }) => book().listReturns(status, limit).map(toReturnView),
    'returns.request': async ({ leadId, reason }, ctx) => {
      const lead = store.getLead(leadId);
      if (!lead || lead.status !== 'sold' || !lead.buyerId) throw new PingdeskError('not_found', `No sold lead "${leadId}"`);
      requestReturn({ store, config: d.config }, lead, masked(reason, leadId), d.now(), ctx.actor);
      await store.flush();
      return toReturnView(book().getReturn(leadId) as NonNullable<ReturnType<ReturnType<Store['ledgerBook']>['getReturn']>>);
    },
    'returns.decide': async ({ leadIds, decision, reason }, ctx) => {
      const decided = [];
      const failed: Array<{ leadId: string; message: string }> = [];
      for (const leadId of [...new Set(leadIds)]) {
        try {
          decided.push(decideReturn({ store, config: d.config }, leadId, decision, masked(reason, leadId), ctx.actor, d.now()));
        } catch (err) {
          if (!(err instanceof PingdeskError)) throw err;
          failed.push({ leadId, message: err.message });
        }
      }
      await store.flush();
      return { decided: decided.map(toReturnView), failed };
    },
    'ledger.entries': ({ from, to }) => book().entries(from, to).map(toEntryView),
    'ledger.balances': ({ from, to }) => book().balances(from, to).map(toBalanceView),
    'ledger.statement': ({ from, to, partyKind, partyId }) => statement(book(), partyKind, partyId, from, to),
    'ledger.summary': ({ from, to }) => revenueSummary(book().totals(from, to)),
    'ledger.adjust': async ({ partyKind, partyId, amount, note, leadId }, ctx) => {
      const known = partyKind === 'buyer' ? d.config().buyers.has(partyId) : d.config().sources.has(partyId);
      if (!known) throw new PingdeskError('not_found', `No ${partyKind} "${partyId}"`);
      if (leadId && !store.getLead(leadId)) throw new PingdeskError('not_found', `No lead "${leadId}"`);
      const at = d.now();
      const entry = { at, kind: 'adjustment' as const, amountCents: toCents(amount), partyKind, partyId, leadId: leadId ?? null, auctionId: null, note: masked(note, leadId), actor: ctx.actor };
      book().book([entry]);
      store.appendAudit({ leadId: leadId ?? null, type: 'ledger_adjustment', actor: ctx.actor, at, data: { partyKind, partyId, amount, note: entry.note } });
      await store.flush();
      const rows = book().partyEntries(partyKind, partyId, at, at + 1);
      return toEntryView(rows[rows.length - 1]);
    },
  };
}
