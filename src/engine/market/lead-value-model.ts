import type { Cents } from '../money.js';

/** One finished auction the model learns from: what the lead earned (its sale price, 0 when unsold). */
export interface ValueSample {
  campaignId: string;
  sourceId: string;
  state: string | null;
  valueCents: Cents;
}

/** Finished auctions summed per campaign, source and state: what the model is fitted on. */
export interface ValueGroup {
  campaignId: string;
  sourceId: string;
  state: string | null;
  n: number;
  sum: number;
  sumSq: number;
}

export interface LeadValueKey {
  campaignId: string;
  sourceId: string;
  state: string | null;
}

/** The deepest level that had history for the lead: campaign, its source, or its source and state. */
export type ValueLevel = 'campaign' | 'source' | 'sourceState';

export interface LeadValueEstimate {
  cents: Cents;
  level: ValueLevel;
  /** Leads behind the deepest level used. */
  samples: number;
}

interface GroupStats {
  n: number;
  sum: number;
  sumSq: number;
}

export interface LeadValueModel {
  trainedAt: number;
  samples: number;
  minCampaignSamples: number;
  /** Per level: pseudo-count k pulling a group's mean towards its parent's estimate. */
  shrinkage: { source: number; sourceState: number };
  groups: Map<string, GroupStats>;
}

export const DEFAULT_MIN_CAMPAIGN_SAMPLES = 10;
const MIN_K = 1;
const MAX_K = 10_000;

const campaignKey = (k: LeadValueKey): string => `c\u0000${k.campaignId}`;
const sourceKey = (k: LeadValueKey): string => `s\u0000${k.campaignId}\u0000${k.sourceId}`;
const stateKey = (k: LeadValueKey): string => `t\u0000${k.campaignId}\u0000${k.sourceId}\u0000${k.state ?? ''}`;

/**
 * A hierarchical mean with empirical-Bayes shrinkage: campaign → source → source × state.
 * A group's estimate is (n·mean + k·parent) / (n + k): a group with few leads stays near its parent,
 * one with many speaks for itself. k = σ²/τ² per level, from the data (method of moments):
 *   σ² = pooled variance of leads around their group's mean (how noisy one lead is),
 *   τ² = mean over groups of ((mean − parent)² − σ²/n), at least 0 (how much groups truly differ);
 * τ² = 0 means the groups do not differ beyond noise and k is at its maximum (all weight on the parent).
 * A campaign with fewer than `minCampaignSamples` leads has no estimate (cold start says "unknown").
 */
export function fitLeadValueModel(cells: readonly ValueGroup[], opts: { trainedAt: number; minCampaignSamples?: number }): LeadValueModel {
  const groups = new Map<string, GroupStats>();
  const add = (key: string, c: ValueGroup): void => {
    const g = groups.get(key) ?? { n: 0, sum: 0, sumSq: 0 };
    g.n += c.n;
    g.sum += c.sum;
    g.sumSq += c.sumSq;
    groups.set(key, g);
  };
  const sources = new Map<string, LeadValueKey>();
  for (const c of cells) {
    add(campaignKey(c), c);
    add(sourceKey(c), c);
    add(stateKey(c), c);
    sources.set(sourceKey(c), c);
  }
  const model: LeadValueModel = {
    trainedAt: opts.trainedAt,
    samples: cells.reduce((n, c) => n + c.n, 0),
    minCampaignSamples: opts.minCampaignSamples ?? DEFAULT_MIN_CAMPAIGN_SAMPLES,
    shrinkage: { source: MAX_K, sourceState: MAX_K },
    groups,
  };
  // Parents first: the state level shrinks towards the source level's shrunk estimate.
  model.shrinkage.source = shrinkageOf(groups, [...sources.values()].map((s) => ({ own: sourceKey(s), parent: campaignMean(model, s) })));
  model.shrinkage.sourceState = shrinkageOf(groups, cells.map((c) => ({ own: stateKey(c), parent: sourceEstimate(model, c) })));
  return model;
}

/** Sums single leads into groups per campaign, source and state, as they are read. */
export class ValueCells {
  private readonly cells = new Map<string, ValueGroup>();

  add(s: ValueSample): void {
    const key = stateKey(s);
    const c = this.cells.get(key) ?? { campaignId: s.campaignId, sourceId: s.sourceId, state: s.state, n: 0, sum: 0, sumSq: 0 };
    c.n += 1;
    c.sum += s.valueCents;
    c.sumSq += s.valueCents * s.valueCents;
    this.cells.set(key, c);
  }

  groups(): ValueGroup[] {
    return [...this.cells.values()];
  }
}

export function groupValueSamples(samples: readonly ValueSample[]): ValueGroup[] {
  const cells = new ValueCells();
  for (const s of samples) cells.add(s);
  return cells.groups();
}

/** The estimate for a lead, or null when its campaign has too little history. */
export function predictLeadValue(model: LeadValueModel, key: LeadValueKey): LeadValueEstimate | null {
  const campaign = model.groups.get(campaignKey(key));
  if (!campaign || campaign.n < model.minCampaignSamples) return null;
  const atSource = model.groups.get(sourceKey(key));
  if (!atSource) return { cents: Math.round(campaign.sum / campaign.n), level: 'campaign', samples: campaign.n };
  const source = sourceEstimate(model, key);
  const atState = model.groups.get(stateKey(key));
  if (!atState) return { cents: Math.round(source), level: 'source', samples: atSource.n };
  return { cents: Math.round(shrink(atState, source, model.shrinkage.sourceState)), level: 'sourceState', samples: atState.n };
}

function campaignMean(model: LeadValueModel, key: LeadValueKey): number {
  const g = model.groups.get(campaignKey(key));
  return g ? g.sum / g.n : 0;
}

function sourceEstimate(model: LeadValueModel, key: LeadValueKey): number {
  const parent = campaignMean(model, key);
  const g = model.groups.get(sourceKey(key));
  return g ? shrink(g, parent, model.shrinkage.source) : parent;
}

function shrink(g: GroupStats, parent: number, k: number): number {
  return (g.sum + k * parent) / (g.n + k);
}

function shrinkageOf(groups: Map<string, GroupStats>, members: Array<{ own: string; parent: number }>): number {
  let within = 0;
  let withinDf = 0;
  for (const m of members) {
    const g = groups.get(m.own) as GroupStats;
    within += g.sumSq - (g.sum * g.sum) / g.n;
    withinDf += g.n - 1;
  }
  if (members.length === 0 || withinDf <= 0) return MAX_K;
  const sigma2 = Math.max(0, within / withinDf);
  let between = 0;
  for (const m of members) {
    const g = groups.get(m.own) as GroupStats;
    between += (g.sum / g.n - m.parent) ** 2 - sigma2 / g.n;
  }
  const tau2 = Math.max(0, between / members.length);
  if (tau2 === 0) return MAX_K;
  return Math.min(MAX_K, Math.max(MIN_K, sigma2 / tau2));
}
