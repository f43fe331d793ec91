import { createHash } from 'node:crypto';
import { PingdeskError } from '../../shared/errors.js';
import type { Store } from '../store/index.js';
import {
  BUNDLE_FILES,
  BUNDLE_FORMAT,
  type BundleChain,
  type BundleCheckpoint,
  type BundleDeliveries,
  type BundleLead,
  type BundleLeadKey,
  type BundleManifest,
  type BundleTrail,
} from './bundle-format.js';
import { renderEvidencePage } from './evidence-page.js';
import { verifyBundleFiles } from './verify-bundle.js';
import { writeZip } from './zip-file.js';

export interface EvidenceBundle {
  zip: Buffer;
  leadId: string;
  events: number;
  chainEvents: number;
  /** The checkpoint that signs the lead's last event, or null when none does yet. */
  checkpointSeq: number | null;
}

function json(value: unknown): Buffer {
  return Buffer.from(`${JSON.stringify(value, null, 2)}\n`, 'utf8');
}

export function sha256Hex(data: Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

/**
 * One lead's evidence: the record and consent as stored, its pings and posts, its trail as stored,
 * the chain from its first event to the signed checkpoint covering its last, the checkpoint and the
 * public key, its key (while not erased), a printable page and a manifest of hashes. Reads only.
 */
export function buildEvidenceBundle(store: Store, leadId: string, now: number = Date.now()): EvidenceBundle {
  const row = store.getLead(leadId);
  if (!row) throw new PingdeskError('not_found', `No lead "${leadId}"`);
  const reads = store.evidenceReads();
  const ws = store.loadWorkspaceEntities();
  const buyerName = (id: string) => ws.buyers.find((b) => b.id === id)?.name ?? null;

  const lead: BundleLead = {
    id: row.id,
    campaignId: row.campaignId,
    sourceId: row.sourceId,
    receivedAt: row.receivedAt,
    test: row.test,
    status: row.status,
    fields: row.fields,
    consent: row.consent,
    erasedAt: row.erasedAt ?? null,
    priceCents: row.priceCents ?? null,
    payoutCents: row.payoutCents ?? null,
    buyerId: row.buyerId ?? null,
  };

  const auctions = store.auctionsForLead(leadId).map((a) => store.getAuction(a.id)).filter((a) => a !== null);
  const campaign = ws.campaigns.find((c) => c.id === row.campaignId);
  const deliveries: BundleDeliveries = {
    pingFields: campaign ? campaign.pingFields.filter((f) => f in row.fields) : null,
    auctions: auctions.map(({ auction: a }) => ({ id: a.id, startedAt: a.startedAt, endedAt: a.endedAt ?? null, status: a.status, winnerBuyerId: a.winnerBuyerId ?? null, priceCents: a.priceCents ?? null })),
    pings: auctions.flatMap((a) => a.pings.map((p) => ({ auctionId: p.auctionId, buyerId: p.buyerId, buyerName: buyerName(p.buyerId), tierIndex: p.tierIndex, sentAt: p.sentAt, outcome: p.outcome, bidCents: p.bidCents, floorCents: p.floorCents, reason: p.reason }))),
    posts: auctions.flatMap((a) => a.posts.map((p) => ({ auctionId: p.auctionId, buyerId: p.buyerId, buyerName: buyerName(p.buyerId), attempt: p.attempt, sentAt: p.sentAt, outcome: p.outcome, priceCents: p.priceCents, reason: p.reason, buyerRef: p.buyerRef }))),
  };

  const events = reads.leadEvents(leadId);
  const trail: BundleTrail = { leadId, events };
  const databaseId = store.databaseId();
  const first = events[0]?.seq ?? 0;
  const last = events.at(-1)?.seq ?? 0;
  const covering = events.length ? store.auditCheckpointCovering(last) : null;
  const checkpoint: BundleCheckpoint = covering
    ? { signed: true, databaseId, ...covering }
    : { signed: false, databaseId, reason: events.length ? `no signed checkpoint covers event ${last} yet (a running engine signs its head every minute and when it stops)` : 'the lead has no audit events' };
  const to = covering ? covering.seq : last;
  const chain: BundleChain = { from: first, to, events: events.length ? reads.chainRange(first, to) : [] };

  const files = new Map<string, Buffer>();
  files.set(BUNDLE_FILES.lead, json(lead));
  files.set(BUNDLE_FILES.deliveries, json(deliveries));
  files.set(BUNDLE_FILES.trail, json(trail));
  files.set(BUNDLE_FILES.chain, json(chain));
  files.set(BUNDLE_FILES.checkpoint, json(checkpoint));
  const pem = store.auditPublicKeyPem();
  if (pem) files.set(BUNDLE_FILES.publicKey, Buffer.from(pem, 'utf8'));
  const key = lead.erasedAt == null ? reads.leadKey(leadId) : null;
  if (key) files.set(BUNDLE_FILES.leadKey, json({ leadId, key: key.toString('hex') } satisfies BundleLeadKey));

  // The page shows the same verification a reviewer gets from `pingdesk evidence verify`.
  const verdict = verifyBundleFiles(files, {});
  files.set(BUNDLE_FILES.page, Buffer.from(renderEvidencePage({ lead, deliveries, trail, checkpoint, createdAt: now, verdict }), 'utf8'));

  const manifest: BundleManifest = { format: BUNDLE_FORMAT, leadId, createdAt: now, files: {} };
  for (const [name, data] of files) manifest.files[name] = sha256Hex(data);
  const entries = [{ name: BUNDLE_FILES.manifest, data: json(manifest) }, ...[...files].map(([name, data]) => ({ name, data }))];
  return { zip: writeZip(entries, new Date(now)), leadId, events: events.length, chainEvents: chain.events.length, checkpointSeq: covering?.seq ?? null };
}
