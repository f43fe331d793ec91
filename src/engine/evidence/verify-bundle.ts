import { createHash, type KeyObject } from 'node:crypto';
import { canonicalEvent, hashEvent } from '../store/audit-chain.js';
import { checkpointSignatureValid } from '../store/audit-checkpoints.js';
import type { StoredAuditEvent } from '../store/evidence-repo.js';
import { publicKeyId, readPublicKeyPem } from '../store/signing-key.js';
import { pingOutcomesOf } from '../../shared/ping-round.js';
import {
  BUNDLE_FILES,
  BUNDLE_FORMAT,
  type BundleChain,
  type BundleCheckpoints,
  type ChainSegment,
  type BundleDeliveries,
  type BundleLead,
  type BundleLeadKey,
  type BundleManifest,
  type BundleTrail,
} from './bundle-format.js';
import { checkBundledRecord } from './record-check.js';
import { readZip } from './zip-file.js';

/**
 * - `verified`: every check passed and a signed checkpoint covers the lead's last event.
 * - `unsigned`: the bundle is consistent but no checkpoint signs the lead's events yet.
 * - `failed`: `problem` names the first check that failed.
 */
export type BundleStatus = 'verified' | 'unsigned' | 'failed';

export interface BundleVerdict {
  status: BundleStatus;
  problem?: string;
  leadId: string | null;
  /** The lead's own events and the events of the chain from its first to the checkpoint. */
  events: number;
  chainEvents: number;
  checkpoint: { seq: number; at: number; keyId: string } | null;
  keySource: 'bundle' | 'given';
  /** The lead and consent against the record hash of its `received` event. */
  record: string;
  /** What was checked, one line each, in order. */
  passed: string[];
}

export interface VerifyBundleOptions {
  /** A public key the reviewer got separately; the bundle's own is used otherwise. */
  publicKey?: KeyObject;
}

class BundleProblem extends Error {}

function fail(message: string): never {
  throw new BundleProblem(message);
}

function parse<T>(files: ReadonlyMap<string, Buffer>, name: string): T {
  const data = files.get(name) ?? fail(`${name} is missing`);
  try {
    return JSON.parse(data.toString('utf8')) as T;
  } catch {
    return fail(`${name} is not JSON`);
  }
}

function sameEvent(a: StoredAuditEvent, b: StoredAuditEvent): boolean {
  return a.seq === b.seq && a.leadId === b.leadId && a.at === b.at && a.type === b.type && a.actor === b.actor && a.data === b.data && a.prevHash === b.prevHash && a.hash === b.hash;
}

/** Checks a bundle file as written by `pingdesk evidence`; needs nothing but the file (and optionally a key). */
export function verifyBundle(zip: Buffer, opts: VerifyBundleOptions = {}): BundleVerdict {
  let files: Map<string, Buffer>;
  try {
    files = readZip(zip);
  } catch (err) {
    return failedVerdict(`the file is not a readable bundle: ${(err as Error).message}`, [], null);
  }
  const passed: string[] = [];
  let manifest: BundleManifest;
  try {
    manifest = parse<BundleManifest>(files, BUNDLE_FILES.manifest);
    if (manifest.format !== BUNDLE_FORMAT) fail(`manifest.json names format ${String(manifest.format)}, not ${BUNDLE_FORMAT}`);
    for (const [name, expected] of Object.entries(manifest.files ?? {})) {
      const data = files.get(name) ?? fail(`${name} is listed in the manifest but missing`);
      if (createHash('sha256').update(data).digest('hex') !== expected) fail(`${name} does not match its sha256 in the manifest`);
    }
    for (const name of files.keys()) if (name !== BUNDLE_FILES.manifest && !(name in manifest.files)) fail(`${name} is not listed in the manifest`);
    passed.push(`manifest: ${Object.keys(manifest.files).length} files match their sha256`);
  } catch (err) {
    if (err instanceof BundleProblem) return failedVerdict(err.message, passed, null);
    throw err;
  }
  const rest = new Map(files);
  rest.delete(BUNDLE_FILES.manifest);
  const verdict = verifyBundleFiles(rest, opts);
  if (verdict.status !== 'failed' && verdict.leadId !== manifest.leadId) return { ...verdict, status: 'failed', problem: `manifest.json names lead ${manifest.leadId}, the bundle holds ${String(verdict.leadId)}` };
  return { ...verdict, passed: [...passed, ...verdict.passed] };
}

function failedVerdict(problem: string, passed: string[], leadId: string | null): BundleVerdict {
  return { status: 'failed', problem, leadId, events: 0, chainEvents: 0, checkpoint: null, keySource: 'bundle', record: 'not checked', passed };
}

/**
 * The content checks, without the manifest: the chain links, the lead's events within it, the
 * checkpoint's place and signature, the record hash, and the deliveries against the trail.
 */
export function verifyBundleFiles(files: ReadonlyMap<string, Buffer>, opts: VerifyBundleOptions): BundleVerdict {
  const passed: string[] = [];
  let leadId: string | null = null;
  try {
    const lead = parse<BundleLead>(files, BUNDLE_FILES.lead);
    leadId = lead.id;
    const trail = parse<BundleTrail>(files, BUNDLE_FILES.trail);
    const chain = parse<BundleChain>(files, BUNDLE_FILES.chain);
    const checkpoint = parse<BundleCheckpoints>(files, BUNDLE_FILES.checkpoint);
    const deliveries = parse<BundleDeliveries>(files, BUNDLE_FILES.deliveries);
    if (trail.leadId !== lead.id) fail(`trail.json is the trail of lead ${trail.leadId}, not ${lead.id}`);
    if (trail.events.length === 0) fail('the lead has no audit events');

    const segments = Array.isArray(chain.segments) ? chain.segments : fail('chain.json holds no segments');
    let previous = 0;
    for (const segment of segments) {
      checkSegment(segment, previous);
      previous = segment.to;
    }
    const chainEvents = segments.reduce((n, x) => n + x.events.length, 0);
    passed.push(`chain: ${chainEvents} events in ${segments.length} segment${segments.length === 1 ? '' : 's'} (${segments.map((x) => `${x.from}–${x.to}`).join(', ')}), every link recomputed`);
    checkTrailInChain(lead.id, trail, segments);
    passed.push(`trail: the lead's ${trail.events.length} events are in the chain exactly as listed`);

    const signed = checkCheckpoints(files, checkpoint, segments, opts.publicKey);
    for (const c of signed) passed.push(`checkpoint: seq ${c.seq} signed by key ${c.keyId} (${opts.publicKey ? 'the key given' : 'the key in the bundle'})`);
    const complete = checkpoint.unsigned === null;

    const record = checkRecord(files, lead, trail);
    passed.push(`record: ${record}`);
    checkDeliveries(deliveries, trail);
    passed.push(`deliveries: ${deliveries.pings.length} pings and ${deliveries.posts.length} posts match the trail`);
    return {
      status: complete ? 'verified' : 'unsigned',
      problem: checkpoint.unsigned?.reason,
      leadId,
      events: trail.events.length,
      chainEvents,
      checkpoint: signed.at(-1) ?? null,
      keySource: opts.publicKey ? 'given' : 'bundle',
      record,
      passed,
    };
  } catch (err) {
    if (err instanceof BundleProblem) return failedVerdict(err.message, passed, leadId);
    throw err;
  }
}

function checkSegment(segment: ChainSegment, after: number): void {
  const events = segment.events;
  if (!Array.isArray(events) || events.length === 0) fail('chain.json has an empty segment');
  if (events[0].seq !== segment.from || events.at(-1)?.seq !== segment.to) fail(`the segment ${segment.from}–${segment.to} does not run from its first to its last seq`);
  if (segment.from <= after) fail(`the segment from seq ${segment.from} overlaps the one before`);
  let prev: StoredAuditEvent | null = null;
  for (const e of events) {
    if (prev && e.seq !== prev.seq + 1) fail(`the chain skips from seq ${prev.seq} to ${e.seq}`);
    if (prev && e.prevHash !== prev.hash) fail(`event ${e.seq} does not link to event ${prev.seq}`);
    if (typeof e.data !== 'string') fail(`event ${e.seq} has no stored data text`);
    if (hashEvent(e.prevHash, canonicalEvent(e.seq, e.leadId, e.at, e.type, e.actor, e.data)) !== e.hash) fail(`event ${e.seq} does not match its hash (its content was changed)`);
    prev = e;
  }
}

function checkTrailInChain(leadId: string, trail: BundleTrail, segments: ChainSegment[]): void {
  const bySeq = new Map(segments.flatMap((x) => x.events.map((e) => [e.seq, e] as const)));
  for (const e of trail.events) {
    if (e.leadId !== leadId) fail(`trail event ${e.seq} belongs to lead ${String(e.leadId)}`);
    const inChain = bySeq.get(e.seq) ?? fail(`trail event ${e.seq} is outside the chain`);
    if (!sameEvent(e, inChain)) fail(`trail event ${e.seq} differs from the chain's event ${e.seq}`);
  }
  const listed = new Set(trail.events.map((e) => e.seq));
  for (const x of segments) {
    if (!listed.has(x.from)) fail(`the segment from seq ${x.from} does not start at one of the lead's events`);
    for (const e of x.events) if (e.leadId === leadId && !listed.has(e.seq)) fail(`the lead's event ${e.seq} is in the chain but missing from trail.json`);
  }
}

/** Each signed segment ends at its checkpoint; only the last may be unsigned. */
function checkCheckpoints(files: ReadonlyMap<string, Buffer>, c: BundleCheckpoints, segments: ChainSegment[], given: KeyObject | undefined): Array<{ seq: number; at: number; keyId: string }> {
  const list = Array.isArray(c.checkpoints) ? c.checkpoints : fail('checkpoint.json lists no checkpoints');
  const expected = segments.length - (c.unsigned ? 1 : 0);
  if (list.length !== expected) fail(`checkpoint.json holds ${list.length} checkpoints for ${expected} signed segments`);
  if (c.unsigned && c.unsigned.from !== segments.at(-1)?.from) fail('checkpoint.json calls a segment unsigned that is not the last');
  if (list.length === 0) return [];
  const pem = files.get(BUNDLE_FILES.publicKey);
  let key = given;
  if (!key) {
    if (!pem) fail('public-key.pem is missing');
    try {
      key = readPublicKeyPem(pem.toString('utf8'));
    } catch {
      fail('public-key.pem is not an Ed25519 public key');
    }
  }
  const keyId = publicKeyId(key);
  return list.map((cp, i) => {
    const last = segments[i].events.at(-1) as StoredAuditEvent;
    if (cp.seq !== last.seq || cp.hash !== last.hash) fail(`the checkpoint signs seq ${cp.seq}, not the chain's last event ${last.seq} with its hash`);
    if (cp.keyId !== keyId) fail(`the checkpoint names key ${cp.keyId}, the ${given ? 'given' : "bundle's"} key is ${keyId}`);
    if (!checkpointSignatureValid(key, c.databaseId, cp)) fail(`the checkpoint's signature does not verify with key ${keyId}`);
    return { seq: cp.seq, at: cp.at, keyId };
  });
}

function checkRecord(files: ReadonlyMap<string, Buffer>, lead: BundleLead, trail: BundleTrail): string {
  const received = trail.events.find((e) => e.type === 'received') ?? fail('the trail has no received event');
  const data = JSON.parse(received.data) as Parameters<typeof checkBundledRecord>[1];
  if (lead.erasedAt != null) {
    if (!trail.events.some((e) => e.type === 'erased')) fail('lead.json says erased, the trail has no erased event');
    return `erased at ${new Date(lead.erasedAt).toISOString()}: the contact data and the lead's key are gone, so the record hash cannot be recomputed`;
  }
  const keyFile = files.has(BUNDLE_FILES.leadKey) ? parse<BundleLeadKey>(files, BUNDLE_FILES.leadKey) : null;
  if (keyFile && keyFile.leadId !== lead.id) fail(`lead-key.json is the key of lead ${keyFile.leadId}`);
  const check = checkBundledRecord(lead, data, keyFile ? Buffer.from(keyFile.key, 'hex') : null);
  if (check.status === 'changed') fail(`lead.json does not match what the received event (seq ${received.seq}) sealed: the ${check.part} changed`);
  if (check.status === 'unchecked') return `not recomputed: ${check.reason}`;
  return `lead.json matches the ${check.checked.join(' and ')} sealed in the received event (seq ${received.seq}), recomputed with the lead's key`;
}

function checkDeliveries(d: BundleDeliveries, trail: BundleTrail): void {
  const events = trail.events.map((e) => ({ type: e.type, data: JSON.parse(e.data) as Record<string, unknown> }));
  for (const p of d.pings) {
    // One event per tier round names every buyer; older trails hold one event per buyer: both read alike.
    const found = events.some((e) => e.type === 'ping' && e.data.auctionId === p.auctionId && pingOutcomesOf(e.data).some((o) => o.buyerId === p.buyerId && o.outcome === p.outcome));
    if (!found) fail(`the ping to ${p.buyerId} (${p.outcome}) has no ping event in the trail`);
  }
  for (const p of d.posts) {
    // A post's outcome may be settled later (late acceptance, operator): the post itself must be in the trail.
    const found = events.some((e) => e.type === 'post' && e.data.auctionId === p.auctionId && e.data.buyerId === p.buyerId);
    if (!found) fail(`the post to ${p.buyerId} has no post event in the trail`);
  }
}
