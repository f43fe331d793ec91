/**
 * What the console sees of configuration changes (`changes.list`) and of their effect
 * (`changes.impact`). Money in dollars, times in epoch ms.
 */

export type ChangeSubject = 'floor' | 'tiers' | 'buyer' | 'campaign' | 'workspace';

/** One `config` audit event that changes who is pinged or at what price, in plain words. */
export interface ChangeView {
  /** The audit event's sequence number. */
  seq: number;
  at: number;
  /** Who made it: "console", "cli", or the engine's policy for an automatic change. */
  actor: string;
  /** The campaign the change belongs to; null for a buyer's own switch or a workspace import (every campaign). */
  campaignId: string | null;
  /** The buyer a buyer's own switch (pause, resume, delete, caps) is about; null otherwise. */
  buyerId: string | null;
  subject: ChangeSubject;
  /** The whole change in one line: "Premium floor $20.00 → $25.00". */
  summary: string;
  /** Each part of it: a saved tree can move several buyers at once. */
  details: string[];
  /** Why, when the change says so (dynamic floors and automatic tier moves record their reason). */
  reason: string | null;
}

export interface ChangeList {
  /** Oldest first. */
  changes: ChangeView[];
  /** More config events fell in the range than one read returns; narrow the range to see them all. */
  truncated: boolean;
}

/** A window's auction figures: test auctions left out, an auction counted when it started. */
export interface WindowFigures {
  from: number;
  to: number;
  auctions: number;
  sold: number;
  /** sold / auctions; null when there was no auction. */
  fillRate: number | null;
  revenue: number;
  /** revenue / sold; null when nothing sold. */
  avgPrice: number | null;
}

/**
 * A change's before/after: `since` runs from the change to the next change in the same scope, the end
 * of the chosen window or now, whichever comes first; `before` is the same length just before it, so
 * counts compare like for like.
 */
export interface ChangeImpact {
  change: ChangeView;
  /** The campaign whose auctions are counted; null for all campaigns. */
  campaignId: string | null;
  before: WindowFigures;
  since: WindowFigures;
  /** `since` ended at the next change rather than at the window's end or now. */
  cutByNextChange: boolean;
}
