import type { PredictionErrorRow } from '../../../shared/market-views.js';
import { toDollars } from '../../money.js';
import type { PredictionErrorSums } from '../../store/market-repo.js';
import type { HandlerDeps, HandlersOf } from './handler-deps.js';

/** The Auction page's predicted value and Reports' prediction error. */
export function leadValueHandlers(d: HandlerDeps): HandlersOf<'leadValue'> {
  const { store } = d;
  return {
    'leadValue.get': ({ leadId }) => {
      const e = store.market().estimate(leadId);
      if (!e) return { leadId, estimate: null };
      const lead = store.getLead(leadId);
      const actual = lead?.status === 'sold' ? toDollars(lead.priceCents ?? 0) : lead?.status === 'unsold' ? 0 : null;
      return { leadId, estimate: { leadId, predicted: toDollars(e.predictedCents), level: e.level as 'campaign' | 'source' | 'sourceState', samples: e.samples, at: e.at, modelTrainedAt: e.modelTrainedAt, actual } };
    },
    'leadValue.error': ({ from, to, campaignId }) => {
      const rows = store.market().predictionError(from, to, campaignId);
      const none: PredictionErrorSums = { outcome: 'sold', leads: 0, predictedCents: 0, actualCents: 0, absErrorCents: 0 };
      const sold = rows.find((r) => r.outcome === 'sold') ?? none;
      const unsold = rows.find((r) => r.outcome === 'unsold') ?? { ...none, outcome: 'unsold' };
      const all = { leads: sold.leads + unsold.leads, predictedCents: sold.predictedCents + unsold.predictedCents, actualCents: sold.actualCents + unsold.actualCents, absErrorCents: sold.absErrorCents + unsold.absErrorCents };
      return { from, to, campaignId: campaignId ?? null, sold: errorRow(sold), unsold: errorRow(unsold), all: errorRow(all) };
    },
  };
}

/** Sums in cents to means in dollars (rounded to the cent); an empty row is all zeros. */
function errorRow(s: { leads: number; predictedCents: number; actualCents: number; absErrorCents: number }): PredictionErrorRow {
  if (s.leads === 0) return { leads: 0, meanPredicted: 0, meanActual: 0, mae: 0, bias: 0 };
  const mean = (cents: number): number => toDollars(Math.round(cents / s.leads));
  return { leads: s.leads, meanPredicted: mean(s.predictedCents), meanActual: mean(s.actualCents), mae: mean(s.absErrorCents), bias: mean(s.predictedCents - s.actualCents) };
}
