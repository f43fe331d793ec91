import { setImmediate as nextTurn } from 'node:timers/promises';
import type { Store } from '../store/index.js';
import { fitLeadValueModel, predictLeadValue, ValueCells, type LeadValueEstimate, type LeadValueModel } from './lead-value-model.js';

export interface LeadValueOptions {
  /** How far back the model learns from (default 30 days). */
  trainingWindowMs?: number;
  /** At most this many of the newest finished auctions (default 50,000): training time stays bounded. */
  maxTrainingRows?: number;
  /** A campaign with fewer finished auctions than this gets no estimate (default 10). */
  minCampaignSamples?: number;
}

export interface LeadToEstimate {
  leadId: string;
  campaignId: string;
  sourceId: string;
  state: string | null;
  test: boolean;
}

const DAY_MS = 86_400_000;
/** Rows per page while training: a few milliseconds of the event loop each. */
const TRAINING_PAGE = 500;

/**
 * Predicts at intake what a lead will earn, from the model last trained on the store's own history
 * (no network), and records the estimate with the lead's writes. Retrained by the market's timer.
 */
export class LeadValueEstimator {
  private current: LeadValueModel;

  constructor(
    private readonly store: Store,
    private readonly now: () => number,
    private readonly opts: LeadValueOptions = {},
  ) {
    this.current = fitLeadValueModel([], { trainedAt: now(), minCampaignSamples: opts.minCampaignSamples });
  }

  get model(): LeadValueModel {
    return this.current;
  }

  /**
   * Learns again from the newest finished, non-test auctions of the training window. Read in pages of
   * TRAINING_PAGE rows with a turn of the event loop between them, so auctions never wait behind it.
   */
  async retrain(): Promise<LeadValueModel> {
    const at = this.now();
    const from = at - (this.opts.trainingWindowMs ?? 30 * DAY_MS);
    const maxRows = this.opts.maxTrainingRows ?? 50_000;
    const cells = new ValueCells();
    let before = { startedAt: at + 1, id: '' };
    for (let read = 0; read < maxRows; ) {
      const page = this.store.market().trainingPage(from, before, Math.min(TRAINING_PAGE, maxRows - read));
      for (const row of page) cells.add(row);
      read += page.length;
      if (page.length < TRAINING_PAGE) break;
      const last = page[page.length - 1];
      before = { startedAt: last.startedAt, id: last.id };
      await nextTurn();
    }
    this.current = fitLeadValueModel(cells.groups(), { trainedAt: at, minCampaignSamples: this.opts.minCampaignSamples });
    return this.current;
  }

  /** The lead's estimate, recorded unless it is a test lead; null while its campaign lacks history. */
  estimate(lead: LeadToEstimate): LeadValueEstimate | null {
    const estimate = predictLeadValue(this.current, lead);
    if (estimate && !lead.test) {
      this.store.market().recordEstimate({
        leadId: lead.leadId, campaignId: lead.campaignId, sourceId: lead.sourceId, at: this.now(),
        predictedCents: estimate.cents, level: estimate.level, samples: estimate.samples, modelTrainedAt: this.current.trainedAt,
      });
    }
    return estimate;
  }
}
