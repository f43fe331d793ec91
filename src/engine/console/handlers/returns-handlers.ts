import { PingdeskError } from '../../../shared/errors.js';
import { decideReturn, requestReturn } from '../../ledger/returns.js';
import { toReturnView } from '../../ledger/ledger-views.js';
import type { Store } from '../../store/index.js';
import type { HandlersOf } from './handler-deps.js';
import { maskedNote, type LedgerDeps } from './masked-note.js';

/** The Returns screen: a buyer's request to hand a sold lead back, and the operator's decision. */
export function returnsHandlers(d: LedgerDeps): HandlersOf<'returns'> {
  const { store } = d;
  const book = (): ReturnType<Store['ledgerBook']> => store.ledgerBook();
  return {
    'returns.list': ({ status, limit }) => book().listReturns(status, limit).map(toReturnView),
    'returns.request': async ({ leadId, reason }, ctx) => {
      const lead = store.getLead(leadId);
      if (!lead || lead.status !== 'sold' || !lead.buyerId) throw new PingdeskError('not_found', `No sold lead "${leadId}"`);
      requestReturn({ store, config: d.config }, lead, maskedNote(d, reason, leadId), d.now(), ctx.actor);
      await store.flush();
      return toReturnView(book().getReturn(leadId) as NonNullable<ReturnType<ReturnType<Store['ledgerBook']>['getReturn']>>);
    },
    'returns.decide': async ({ leadIds, decision, reason }, ctx) => {
      const decided = [];
      const failed: Array<{ leadId: string; message: string }> = [];
      for (const leadId of [...new Set(leadIds)]) {
        try {
          decided.push(decideReturn({ store, config: d.config }, leadId, decision, maskedNote(d, reason, leadId), ctx.actor, d.now()));
        } catch (err) {
          if (!(err instanceof PingdeskError)) throw err;
          failed.push({ leadId, message: err.message });
        }
      }
      await store.flush();
      return { decided: decided.map(toReturnView), failed };
    },
  };
}
