import { createHash } from 'node:crypto';
import { PingdeskError } from '../../shared/errors.js';
import type { StoredAuditEvent } from '../store/evidence-repo.js';
import type { Store } from '../store/index.js';
import {
  BUNDLE_FILES,
  BUNDLE_FORMAT,
  type BundleChain,
  type BundleCheckpoints,
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
 * the chain segments from its events to the signed checkpoints covering them, those checkpoints and the
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
  const chain: BundleChain = { segments: [] };
  const checkpoint: BundleCheckpoints = { databaseId: store.databaseId(), checkpoints: [], unsigned: null };
  let i = 0;
  while (i < events.length) {
    const from = events[i].seq;
    const covering = store.auditCheckpointCovering(from);
    const to = covering ? covering.seq : (events.at(-1) as StoredAuditEvent).seq;
    chain.segments.push({ from, to, events: reads.chainRange(from, to) });
    if (covering) checkpoint.checkpoints.push(covering);
    else checkpoint.unsigned = { from, reason: `no signed checkpoint covers event ${to} yet (a running engine signs its head every minute and when it stops)` };
    while (i < events.length && events[i].seq <= to) i += 1;
  }
  const chainEvents = chain.segments.reduce((n, s) => n + s.events.length, 0);

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
  const signedTo = checkpoint.unsigned ? null : (checkpoint.checkpoints.at(-1)?.seq ?? null);
  return { zip: writeZip(entries, new Date(now)), leadId, events: events.length, chainEvents, checkpointSeq: signedTo };
}
