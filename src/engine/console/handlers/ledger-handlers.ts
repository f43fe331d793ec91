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
    // Range reads run in the store's read thread, off the event loop.
    'ledger.entries': async ({ from, to }) => (await store.readOffLoop(() => book().entriesSteps(from, to))).map(toEntryView),
    'ledger.balances': async ({ from, to }) => (await store.readOffLoop(() => book().balancesSteps(from, to))).map(toBalanceView),
    'ledger.statement': async ({ from, to, partyKind, partyId }) =>
      statement(await store.readOffLoop(() => book().partyEntriesSteps(partyKind, partyId, from, to)), partyKind, partyId, from, to),
    'ledger.summary': async ({ from, to }) => revenueSummary(await store.readOffLoop(() => book().totalsSteps(from, to))),
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
