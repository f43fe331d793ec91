import { spawnSync } from 'node:child_process';
import { createHash, generateKeyPairSync } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startConsoleServer } from '../../src/engine/console/http-transport.js';
import { canonicalEvent, hashEvent } from '../../src/engine/store/audit-chain.js';
import { databasePath } from '../../src/engine/store/open-database.js';
import { readZip, writeZip } from '../../src/engine/evidence/zip-file.js';
import { TOKEN_HEADER } from '../../src/shared/transport.js';
import type { EvidenceExport } from '../../src/shared/console-api.js';
import { startBuyer, type TestBuyer } from '../support/buyer-server.js';
import { autoCampaign, buyerFor, leadBody, makeDataDir, startTestEngine, workspaceOf } from './fixtures/engine-harness.js';
import { pingdesk } from './fixtures/serve-process.js';
import type { StoredAuditEvent } from '../../src/engine/store/evidence-repo.js';

const EMPTY = createHash('sha256').digest('hex');
const BUYER_KEY = 'buy_acme_evidence_1';

let dir: string;
let keyDir: string;
let keyFile: string;
let work: string;
let buyer: TestBuyer;
let soldLead: string;
let erasedLead: string;
let sent: ReturnType<typeof leadBody>;
let erasedPhone: string;
const cleanup: string[] = [];

// Each test reads the few fields it attacks; typing every bundle file here would restate bundle-format.ts.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
function json(files: Map<string, Buffer>, name: string): any {
  return JSON.parse((files.get(name) as Buffer).toString('utf8'));
}

/** Re-packs a bundle after an edit, with a manifest that matches the edited files (as a forger would). */
function repack(files: Map<string, Buffer>, file: string): void {
  const manifest = json(files, 'manifest.json');
  manifest.files = {};
  for (const [name, data] of files) if (name !== 'manifest.json') manifest.files[name] = createHash('sha256').update(data).digest('hex');
  files.set('manifest.json', Buffer.from(JSON.stringify(manifest)));
  fs.writeFileSync(file, writeZip([...files].map(([name, data]) => ({ name, data }))));
}

function bundleOf(leadId: string, name: string, dataDir = dir): string {
  const out = path.join(work, name);
  const r = pingdesk('evidence', '--data-dir', dataDir, '--lead', leadId, '--out', out);
  expect(r.code, r.err).toBe(0);
  return out;
}

function setJson(files: Map<string, Buffer>, name: string, value: unknown): void {
  files.set(name, Buffer.from(`${JSON.stringify(value, null, 2)}\n`));
}

function folderDigest(folder: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of (fs.readdirSync(folder, { recursive: true }) as string[]).sort()) {
    const file = path.join(folder, name);
    if (fs.statSync(file).isFile()) out[name] = createHash('sha256').update(fs.readFileSync(file)).digest('hex');
  }
  return out;
}

beforeAll(async () => {
  buyer = await startBuyer({ bid: 30 });
  dir = makeDataDir('pingdesk-evidence-');
  keyDir = fs.mkdtempSync(path.join(os.tmpdir(), 'pingdesk-evidence-keys-'));
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'pingdesk-evidence-out-'));
  cleanup.push(dir, keyDir, work);
  keyFile = path.join(keyDir, 'signing.key');
  const h = await startTestEngine({ dir, signingKeyFile: keyFile, workspace: workspaceOf(autoCampaign([{ name: 'Tier 1', floor: 5, buyers: ['acme'] }]), [buyerFor(buyer, 'acme', { apiKey: BUYER_KEY })]) });
  sent = leadBody({ consent: { sellers: ['Acme Insurance'], leadid_token: 'LEADID-0001' } });
  const first = await h.sendLead(sent);
  expect(first.body.status).toBe('sold');
  soldLead = first.body.lead_id as string;
  const other = leadBody();
  erasedPhone = String(other.fields.phone);
  const second = await h.sendLead(other);
  expect(second.body.status).toBe('sold');
  erasedLead = second.body.lead_id as string;
  // Other leads' events fall between the sold lead's own: the proof must carry them too.
  for (let i = 0; i < 3; i += 1) expect((await h.sendLead(leadBody())).body.status).toBe('sold');
  await h.call('leads.erase', { id: erasedLead });
  // A clean shutdown signs the head.
  await h.close();
});

afterAll(async () => {
  await buyer.close();
  for (const d of cleanup) fs.rmSync(d, { recursive: true, force: true });
});

describe('per-lead evidence bundles', { timeout: 120_000 }, () => {
  it('a sold lead bundle holds the consent as received, its pings and posts, its trail and a signed proof, and verifies offline', () => {
    const before = folderDigest(dir);
    const file = bundleOf(soldLead, 'sold.zip');
    // Reading for a bundle writes nothing into the data folder (a WAL reader may leave an empty WAL and its index).
    const after = folderDigest(dir);
    expect(after['pingdesk.db']).toBe(before['pingdesk.db']);
    expect(after['pingdesk.db-wal'] ?? EMPTY).toBe(before['pingdesk.db-wal'] ?? EMPTY);
    expect(Object.keys(after).filter((f) => !f.endsWith('-shm') && !f.endsWith('-wal'))).toEqual(Object.keys(before).filter((f) => !f.endsWith('-shm') && !f.endsWith('-wal')));
    // An ordinary unzip tool reads the archive and its CRCs.
    expect(spawnSync('unzip', ['-t', file], { encoding: 'utf8' }).status).toBe(0);

    const files = readZip(fs.readFileSync(file));
    expect([...files.keys()].sort()).toEqual(['chain.json', 'checkpoint.json', 'deliveries.json', 'index.html', 'lead-key.json', 'lead.json', 'manifest.json', 'public-key.pem', 'trail.json']);
    const lead = json(files, 'lead.json');
    expect(lead.consent).toMatchObject({ text: sent.consent.text, captured_at: sent.consent.captured_at, ip: '203.0.113.7', page_url: sent.consent.page_url, trustedform_cert_url: sent.consent.trustedform_cert_url, leadid_token: 'LEADID-0001', sellers: ['Acme Insurance'] });
    expect(lead.erasedAt).toBeNull();

    const deliveries = json(files, 'deliveries.json');
    expect(deliveries.pings).toEqual([expect.objectContaining({ buyerId: 'acme', outcome: 'BID', bidCents: 3000 })]);
    expect(deliveries.posts).toEqual([expect.objectContaining({ buyerId: 'acme', attempt: 1, outcome: 'ACCEPTED' })]);
    expect(deliveries.pingFields.length).toBeGreaterThan(0);
    for (const contact of ['phone', 'email', 'first_name', 'last_name']) expect(deliveries.pingFields).not.toContain(contact);

    const trail = json(files, 'trail.json');
    const db = new Database(databasePath(dir), { readonly: true });
    const stored = db.prepare('SELECT seq, lead_id AS leadId, at, type, actor, data, prev_hash AS prevHash, hash FROM audit_events WHERE lead_id = ? ORDER BY seq').all(soldLead) as StoredAuditEvent[];
    db.close();
    expect(trail.events).toEqual(stored);
    expect(stored.map((e) => e.type)).toEqual(expect.arrayContaining(['received', 'ping', 'post', 'sold']));
    const chain = json(files, 'chain.json');
    expect(chain.segments).toHaveLength(1);
    const [segment] = chain.segments;
    expect(segment.from).toBe(stored[0].seq);
    expect(segment.events.some((e: StoredAuditEvent) => e.leadId !== soldLead)).toBe(true);
    const checkpoint = json(files, 'checkpoint.json').checkpoints[0];
    expect(checkpoint).toMatchObject({ seq: segment.to, hash: segment.events.at(-1).hash });

    const html = (files.get('index.html') as Buffer).toString('utf8');
    expect(html).toContain(sent.consent.text);
    expect(html).toContain('@media print');
    expect(html).not.toMatch(/<script|<link|<img|<iframe|src=|url\(/i);

    const r = pingdesk('evidence', 'verify', file);
    expect(r.code, r.out + r.err).toBe(0);
    expect(r.out).toContain(`evidence bundle for lead ${soldLead} verified`);
    expect(r.out).toMatch(/ok {2}record: lead\.json matches the consent text/);
    expect(r.out).toContain(`checkpoint: seq ${checkpoint.seq} signed by key ${checkpoint.keyId}`);
  });

  it('a bundle made from an archive (--open) verifies like one made from the folder', () => {
    const archive = path.join(work, 'review.pdarchive');
    const made = pingdesk('archive', '--data-dir', dir, '--out', archive, '--signing-key', keyFile);
    expect(made.code, made.err).toBe(0);
    const out = path.join(work, 'from-archive.zip');
    const r = pingdesk('evidence', '--open', archive, '--lead', soldLead, '--out', out);
    expect(r.code, r.err).toBe(0);
    const v = pingdesk('evidence', 'verify', out);
    expect(v.code, v.out).toBe(0);
    expect(readZip(fs.readFileSync(out)).get('lead.json')?.toString()).toContain(sent.consent.text);
  });

  it('verify checks the signature against a key the reviewer holds separately', () => {
    const file = bundleOf(soldLead, 'keyed.zip');
    const own = path.join(work, 'own.pem');
    fs.writeFileSync(own, pingdesk('audit', 'public-key', '--data-dir', dir).out);
    const good = pingdesk('evidence', 'verify', '--public-key', own, file);
    expect(good.code, good.out).toBe(0);
    expect(good.out).toContain('the key given');

    const stranger = path.join(work, 'stranger.pem');
    fs.writeFileSync(stranger, generateKeyPairSync('ed25519').publicKey.export({ type: 'spki', format: 'pem' }));
    const bad = pingdesk('evidence', 'verify', '--public-key', stranger, file);
    expect(bad.code).toBe(1);
    expect(bad.out).toMatch(/FAILED: the checkpoint names key \w+, the given key is \w+/);
  });

  it('one consent character changed in a re-packed bundle is caught by what the received event sealed', () => {
    const file = bundleOf(soldLead, 'consent.zip');
    const files = readZip(fs.readFileSync(file));
    const lead = json(files, 'lead.json');
    lead.consent.text = lead.consent.text.replace('Acme', 'Acne');
    setJson(files, 'lead.json', lead);
    repack(files, file);
    const r = pingdesk('evidence', 'verify', file);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/FAILED: lead\.json does not match what the received event \(seq \d+\) sealed: the consent text changed/);

    // A consent detail other than the text (its capture time) is caught by the record hash.
    const again = readZip(fs.readFileSync(bundleOf(soldLead, 'captured.zip')));
    const other = json(again, 'lead.json');
    other.consent.captured_at = other.consent.captured_at.replace(/\d(?=\.\d{3}Z$)/, (d: string) => String((Number(d) + 1) % 10));
    setJson(again, 'lead.json', other);
    const captured = path.join(work, 'captured.zip');
    repack(again, captured);
    const c = pingdesk('evidence', 'verify', captured);
    expect(c.code).toBe(1);
    expect(c.out).toContain('sealed: the record (its non-contact part) changed');
  });

  it("an event's data edited in the trail and the chain is caught by its hash; rehashing the chain is caught by the checkpoint", () => {
    const file = bundleOf(soldLead, 'event.zip');
    const files = readZip(fs.readFileSync(file));
    const trail = json(files, 'trail.json');
    const chain = json(files, 'chain.json');
    const events = chain.segments[0].events as StoredAuditEvent[];
    const ping = trail.events.find((e: StoredAuditEvent) => e.type === 'ping') as StoredAuditEvent;
    const edited = ping.data.replace('"bid":30', '"bid":3');
    expect(edited).not.toBe(ping.data);
    for (const e of [ping, events.find((x) => x.seq === ping.seq) as StoredAuditEvent]) e.data = edited;
    setJson(files, 'trail.json', trail);
    setJson(files, 'chain.json', chain);
    repack(files, file);
    const r = pingdesk('evidence', 'verify', file);
    expect(r.code).toBe(1);
    expect(r.out).toContain(`FAILED: event ${ping.seq} does not match its hash`);

    // The forger recomputes every later hash: the chain is self-consistent, the signed checkpoint is not.
    let prev = events[0].prevHash;
    for (const e of events) {
      e.prevHash = prev;
      e.hash = hashEvent(prev, canonicalEvent(e.seq, e.leadId, e.at, e.type, e.actor, e.data));
      prev = e.hash;
    }
    const bySeq = new Map(events.map((e) => [e.seq, e]));
    trail.events = trail.events.map((e: StoredAuditEvent) => bySeq.get(e.seq));
    setJson(files, 'trail.json', trail);
    setJson(files, 'chain.json', chain);
    repack(files, file);
    const rehashed = pingdesk('evidence', 'verify', file);
    expect(rehashed.code).toBe(1);
    expect(rehashed.out).toMatch(/FAILED: the checkpoint signs seq \d+, not the chain's last event \d+ with its hash/);
  });

  it('an edited signature and a missing file are each named', () => {
    const file = bundleOf(soldLead, 'signature.zip');
    const files = readZip(fs.readFileSync(file));
    const checkpoint = json(files, 'checkpoint.json');
    const sig = Buffer.from(checkpoint.checkpoints[0].signature, 'base64');
    sig[10] ^= 1;
    checkpoint.checkpoints[0].signature = sig.toString('base64');
    setJson(files, 'checkpoint.json', checkpoint);
    repack(files, file);
    const r = pingdesk('evidence', 'verify', file);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/FAILED: the checkpoint's signature does not verify with key \w+/);

    const missing = bundleOf(soldLead, 'missing.zip');
    const kept = readZip(fs.readFileSync(missing));
    kept.delete('chain.json');
    fs.writeFileSync(missing, writeZip([...kept].map(([name, data]) => ({ name, data }))));
    const m = pingdesk('evidence', 'verify', missing);
    expect(m.code).toBe(1);
    expect(m.out).toContain('FAILED: chain.json is listed in the manifest but missing');

    const garbage = path.join(work, 'garbage.zip');
    fs.writeFileSync(garbage, 'not a zip at all');
    const g = pingdesk('evidence', 'verify', garbage);
    expect(g.code).toBe(1);
    expect(g.out).toContain('FAILED: the file is not a readable bundle');
  });

  it("an erased lead's bundle says so, holds none of the consumer's contact data or key, and still verifies", () => {
    const file = bundleOf(erasedLead, 'erased.zip');
    const files = readZip(fs.readFileSync(file));
    expect(files.has('lead-key.json')).toBe(false);
    const lead = json(files, 'lead.json');
    expect(lead.erasedAt).toEqual(expect.any(Number));
    expect(lead.fields.phone ?? null).toBeNull();
    expect(lead.consent.ip).toBeUndefined();
    const digits = erasedPhone.replace(/\D/g, '');
    for (const [name, data] of files) {
      const text = data.toString('utf8');
      expect(text.includes(digits.slice(-10)), name).toBe(false);
      expect(text.includes('203.0.113.7'), name).toBe(false);
    }
    expect((files.get('index.html') as Buffer).toString('utf8')).toContain('erased on request');
    const r = pingdesk('evidence', 'verify', file);
    expect(r.code, r.out).toBe(0);
    expect(r.out).toMatch(/record: erased at .*the contact data and the lead's key are gone/);
  });

  it('a lead no checkpoint covers yet is reported as not yet signed (exit 3), not as verified', () => {
    const copy = makeDataDir('pingdesk-evidence-copy-');
    cleanup.push(copy);
    fs.cpSync(dir, copy, { recursive: true });
    const db = new Database(databasePath(copy));
    for (const t of db.prepare("SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'audit_checkpoints'").all() as Array<{ name: string }>) db.exec(`DROP TRIGGER ${t.name}`);
    db.exec('DELETE FROM audit_checkpoints');
    db.close();
    const file = bundleOf(soldLead, 'unsigned.zip', copy);
    expect(json(readZip(fs.readFileSync(file)), 'checkpoint.json')).toMatchObject({ checkpoints: [], unsigned: { reason: expect.stringContaining('no signed checkpoint covers') } });
    const r = pingdesk('evidence', 'verify', file);
    expect(r.code).toBe(3);
    expect(r.out).toContain('is consistent but NOT YET SIGNED');
  });

  it('the console writes the bundle to the exports folder, downloaded through the HTTP transport; a later event gets a segment of its own', async () => {
    const copy = makeDataDir('pingdesk-evidence-http-');
    cleanup.push(copy);
    fs.cpSync(dir, copy, { recursive: true });
    const h = await startTestEngine({ dir: copy, signingKeyFile: keyFile });
    const server = await startConsoleServer({ host: h.engine.consoleHost, port: 0, exportsDir: path.join(copy, 'exports') });
    const call = async (body: unknown) => {
      const res = await fetch(`http://127.0.0.1:${server.port}/api/call/leads.evidence`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', [TOKEN_HEADER]: server.token },
        body: JSON.stringify(body),
      });
      return res.json() as Promise<{ ok: true; value: EvidenceExport } | { ok: false; error: { code: string } }>;
    };
    try {
      // The buyer reports on the lead after the shutdown checkpoint: that event is not signed yet.
      expect((await h.post('/v1/feedback', { lead_id: soldLead, event: 'converted' }, { key: BUYER_KEY })).body).toMatchObject({ recorded: true });
      const reply = await call({ id: soldLead });
      if (!reply.ok) throw new Error(JSON.stringify(reply));
      expect(reply.value).toMatchObject({ leadId: soldLead, checkpointSeq: null });
      const download = await fetch(`http://127.0.0.1:${server.port}/exports/${encodeURIComponent(reply.value.fileName)}?token=${server.token}`);
      expect(download.status).toBe(200);
      expect(download.headers.get('content-type')).toBe('application/zip');
      const bytes = Buffer.from(await download.arrayBuffer());
      expect(bytes.equals(fs.readFileSync(reply.value.path))).toBe(true);
      const file = path.join(work, 'downloaded.zip');
      fs.writeFileSync(file, bytes);
      const r = pingdesk('evidence', 'verify', file);
      expect(r.code, r.out).toBe(3);
      expect(r.out).toMatch(/ok {2}checkpoint: seq \d+ signed by key/);
      expect(r.out).toContain('NOT YET SIGNED');

      expect(await call({ id: 'no-such-lead' })).toMatchObject({ ok: false, error: { code: 'not_found' } });
    } finally {
      await server.close();
      await h.close();
    }
    // The clean stop signed the feedback: two segments, each ending at its own checkpoint.
    const file = bundleOf(soldLead, 'two-segments.zip', copy);
    const files = readZip(fs.readFileSync(file));
    const chain = json(files, 'chain.json');
    expect(chain.segments).toHaveLength(2);
    expect(chain.segments[1].events[0]).toMatchObject({ leadId: soldLead, type: 'feedback' });
    expect(json(files, 'checkpoint.json')).toMatchObject({ checkpoints: [{ seq: chain.segments[0].to }, { seq: chain.segments[1].to }], unsigned: null });
    const r = pingdesk('evidence', 'verify', file);
    expect(r.code, r.out).toBe(0);
    expect(r.out).toMatch(/in 2 segments/);
  });
});
