import { PingdeskError } from '../../../shared/errors.js';
import { revenueSummary, statement, toBalanceView, toEntryView } from '../../ledger/ledger-views.js';
import { toCents } from '../../money.js';
import type { Store } from '../../store/index.js';
import type { HandlersOf } from './handler-deps.js';
import { maskedNote, type LedgerDeps } from './masked-note.js';

/** Reports → Statements: ledger entries, balances, statements and manual adjustments. */
export function ledgerHandlers(d: LedgerDeps): HandlersOf<'ledger'> {
  const { store } = d;
  const book = (): ReturnType<Store['ledgerBook']> => store.ledgerBook();
  return {
    'ledger.entries': ({ from, to }) => book().entries(from, to).map(toEntryView),
    'ledger.balances': ({ from, to }) => book().balances(from, to).map(toBalanceView),
    'ledger.statement': ({ from, to, partyKind, partyId }) => statement(book(), partyKind, partyId, from, to),
    'ledger.summary': ({ from, to }) => revenueSummary(book().totals(from, to)),
    'ledger.adjust': async ({ partyKind, partyId, amount, note, leadId }, ctx) => {
      const known = partyKind === 'buyer' ? d.config().buyers.has(partyId) : d.config().sources.has(partyId);
      if (!known) throw new PingdeskError('not_found', `No ${partyKind} "${partyId}"`);
      if (leadId && !store.getLead(leadId)) throw new PingdeskError('not_found', `No lead "${leadId}"`);
      const at = d.now();
      const entry = { at, kind: 'adjustment' as const, amountCents: toCents(amount), partyKind, partyId, leadId: leadId ?? null, auctionId: null, note: maskedNote(d, note, leadId), actor: ctx.actor };
      book().book([entry]);
      store.appendAudit({ leadId: leadId ?? null, type: 'ledger_adjustment', actor: ctx.actor, at, data: { partyKind, partyId, amount, note: entry.note } });
      await store.flush();
      const rows = book().partyEntries(partyKind, partyId, at, at + 1);
      return toEntryView(rows[rows.length - 1]);
    },
  };
}
