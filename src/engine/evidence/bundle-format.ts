import type { ConsentRecord, LeadFields } from '../../shared/domain.js';
import type { AuditCheckpoint } from '../store/audit-checkpoints.js';
import type { StoredAuditEvent } from '../store/evidence-repo.js';

/** What an evidence bundle is: a ZIP of these files, each listed with its sha256 in manifest.json. */
export const BUNDLE_FORMAT = 'pingdesk-evidence/v1';

export const BUNDLE_FILES = {
  manifest: 'manifest.json',
  lead: 'lead.json',
  deliveries: 'deliveries.json',
  trail: 'trail.json',
  chain: 'chain.json',
  checkpoint: 'checkpoint.json',
  publicKey: 'public-key.pem',
  leadKey: 'lead-key.json',
  page: 'index.html',
} as const;

export interface BundleManifest {
  format: typeof BUNDLE_FORMAT;
  leadId: string;
  createdAt: number;
  /** sha256 (hex) of every other file in the bundle, by name. */
  files: Record<string, string>;
}

/** The lead row as stored: the record and the consent exactly as received (contact values gone if erased). */
export interface BundleLead {
  id: string;
  campaignId: string;
  sourceId: string;
  receivedAt: number;
  test: boolean;
  status: string;
  fields: LeadFields;
  consent: ConsentRecord;
  erasedAt: number | null;
  priceCents: number | null;
  payoutCents: number | null;
  buyerId: string | null;
}

export interface BundlePing {
  auctionId: string;
  buyerId: string;
  buyerName: string | null;
  tierIndex: number;
  sentAt: number;
  outcome: string;
  bidCents: number | null;
  floorCents: number;
  reason: string | null;
}

export interface BundlePost {
  auctionId: string;
  buyerId: string;
  buyerName: string | null;
  attempt: number;
  sentAt: number;
  outcome: string;
  priceCents: number;
  reason: string | null;
  buyerRef: string | null;
}

export interface BundleDeliveries {
  /**
   * The field names a ping carries: the campaign's ping fields that the lead has. Read from the
   * campaign as configured when the bundle was made (null when the campaign no longer exists); the
   * fields each buyer got are pinned by the `sentHash` of its round's `ping` event (older trails: one event per buyer).
   */
  pingFields: string[] | null;
  auctions: Array<{ id: string; startedAt: number; endedAt: number | null; status: string; winnerBuyerId: string | null; priceCents: number | null }>;
  pings: BundlePing[];
  posts: BundlePost[];
}

/** The lead's own audit events, exactly as stored. */
export interface BundleTrail {
  leadId: string;
  events: StoredAuditEvent[];
}

/**
 * The proof, in segments: each runs from one of the lead's events to the first signed checkpoint at
 * or after it, with every event in between in full, so each link can be recomputed
 * (sha256(prev_hash ‖ canonical event)). Events of the lead a checkpoint already covers share its
 * segment; a later event (feedback days after the sale) starts a segment of its own, so a bundle
 * carries about a minute of the chain per cluster of the lead's events, not everything in between.
 */
export interface ChainSegment {
  from: number;
  to: number;
  events: StoredAuditEvent[];
}

export interface BundleChain {
  segments: ChainSegment[];
}

/**
 * One signed checkpoint per segment, in order, each signing its segment's last event. When no
 * checkpoint covers the lead's last events yet, the last segment is unsigned (ends at the lead's last
 * event) and `unsigned` says why.
 */
export interface BundleCheckpoints {
  databaseId: string;
  checkpoints: AuditCheckpoint[];
  unsigned: { from: number; reason: string } | null;
}

/** The lead's own key, so the record hash in its `received` event can be recomputed; absent once erased. */
export interface BundleLeadKey {
  leadId: string;
  key: string;
}
