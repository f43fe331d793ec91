import { generateKeyPairSync } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { canonicalEvent, hashEvent } from '../../src/engine/store/audit-chain.js';
import { signCheckpoint } from '../../src/engine/store/audit-checkpoints.js';
import { verifyAudit } from '../../src/engine/store/audit-verify.js';
import { readPublicKeyPem, Store, type TrailVerifyResult } from '../../src/engine/store/index.js';
import { databasePath } from '../../src/engine/store/open-database.js';
import { publicKeyPem } from '../../src/engine/store/signing-key.js';
import { startBuyer, type TestBuyer } from '../support/buyer-server.js';
import { autoCampaign, buyerFor, leadBody, makeDataDir, startTestEngine, workspaceOf } from './fixtures/engine-harness.js';
import { pingdesk } from './fixtures/serve-process.js';


let pristine: string;
let keyDir: string;
let keyFile: string;
let buyer: TestBuyer;
let erasedLeadId: string;
let leadIds: string[];
const copies: string[] = [];

/** A copy of the folder the engine left, for one attack. */
function copyOfData(): string {
  const dir = makeDataDir('pingdesk-chain-copy-');
  fs.cpSync(pristine, dir, { recursive: true });
  copies.push(dir);
  return dir;
}

/** Tampers as someone with the file would: the append-only guards are triggers, which they can drop. */
function openForTampering(dir: string): Database.Database {
  const db = new Database(databasePath(dir));
  for (const t of db.prepare("SELECT name FROM sqlite_master WHERE type = 'trigger'").all() as Array<{ name: string }>) db.exec(`DROP TRIGGER ${t.name}`);
  return db;
}

function setHead(db: Database.Database): void {
  const last = db.prepare('SELECT seq, hash FROM audit_events ORDER BY seq DESC LIMIT 1').get() as { seq: number; hash: string };
  db.prepare("UPDATE meta SET value = ? WHERE key = 'audit_head'").run(JSON.stringify(last));
}

/** The same verify the command line runs, in this process. */
async function verifyInProcess(dir: string, publicKeyFile?: string): Promise<TrailVerifyResult> {
  const store = Store.open({ dataDir: dir, readonly: true });
  try {
    return await store.verifyTrailAsync({ publicKey: publicKeyFile ? readPublicKeyPem(fs.readFileSync(publicKeyFile, 'utf8')) : undefined });
  } finally {
    store.close();
  }
}

/** What `audit verify` said before checkpoints existed: the chain alone. */
function chainOnlyVerdict(dir: string): boolean {
  const db = new Database(databasePath(dir), { readonly: true });
  try {
    return verifyAudit(db).ok;
  } finally {
    db.close();
  }
}

beforeAll(async () => {
  buyer = await startBuyer({ bid: 30 });
  pristine = makeDataDir('pingdesk-chain-');
  keyDir = fs.mkdtempSync(path.join(os.tmpdir(), 'pingdesk-chain-keys-'));
  keyFile = path.join(keyDir, 'signing.key');
  const h = await startTestEngine({ dir: pristine, signingKeyFile: keyFile, workspace: workspaceOf(autoCampaign([{ name: 'Tier 1', floor: 5, buyers: ['acme'] }]), [buyerFor(buyer, 'acme')]) });
  leadIds = [];
  for (let i = 0; i < 25; i += 1) {
    const reply = await h.sendLead(leadBody());
    expect(reply.body.status).toBe('sold');
    leadIds.push(reply.body.lead_id as string);
  }
  erasedLeadId = leadIds[3];
  await h.call('leads.erase', { id: erasedLeadId });
  await h.close();
});

afterAll(async () => {
  await buyer.close();
  for (const dir of [pristine, keyDir, ...copies]) fs.rmSync(dir, { recursive: true, force: true });
});

// Each case runs the real command line a few times; on a busy machine one start of it takes seconds.
describe('signed checkpoints of the audit chain', { timeout: 120_000 }, () => {
  it('a clean shutdown signs the head with a key kept outside the data folder, readable by its owner only', () => {
    expect(fs.statSync(keyFile).mode & 0o777).toBe(0o600);
    expect(path.relative(pristine, keyFile).startsWith('..')).toBe(true);
    const db = new Database(databasePath(pristine), { readonly: true });
    const head = db.prepare('SELECT MAX(seq) AS seq FROM audit_events').get() as { seq: number };
    const newest = db.prepare('SELECT seq FROM audit_checkpoints ORDER BY seq DESC LIMIT 1').get() as { seq: number };
    db.close();
    expect(newest.seq).toBe(head.seq);
    // Not a byte of the private key is anywhere in the folder.
    const keyBody = fs.readFileSync(keyFile, 'utf8').split('\n').filter((l) => l && !l.startsWith('-----')).join('');
    for (const name of fs.readdirSync(pristine, { recursive: true }) as string[]) {
      const file = path.join(pristine, name);
      if (fs.statSync(file).isFile()) expect(fs.readFileSync(file).includes(keyBody), name).toBe(false);
    }

    const r = pingdesk('audit', 'verify', '--data-dir', pristine);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/audit trail intact: \d+ events/);
    expect(r.out).toContain(`last verified checkpoint: seq ${head.seq} at `);
    expect(r.out).toContain('0 events after it not yet signed');
    expect(r.out).toMatch(/leads: 24 match their record as received, 1 erased/);
  });

  it('cutting the last 50 events and rewriting the head is caught: the newest checkpoint signed a seq that is gone', () => {
    const dir = copyOfData();
    const db = openForTampering(dir);
    const { max } = db.prepare('SELECT MAX(seq) AS max FROM audit_events').get() as { max: number };
    db.prepare('DELETE FROM audit_events WHERE seq > ?').run(max - 50);
    setHead(db);
    db.close();
    expect(chainOnlyVerdict(dir)).toBe(true);

    const r = pingdesk('audit', 'verify', '--data-dir', dir);
    expect(r.code).toBe(1);
    expect(r.out).toContain(`BROKEN at seq ${max - 49} (checkpoint_beyond_chain)`);
  });

  it('deleting the newest checkpoints with the events they signed is caught by the checkpoint kept beside the key', async () => {
    const witness = `${keyFile}.checkpoint.json`;
    expect(fs.statSync(witness).mode & 0o777).toBe(0o600);
    const intact = pingdesk('audit', 'verify', '--data-dir', pristine, '--checkpoint', witness);
    expect(intact.code).toBe(0);
    expect(intact.out).toContain(`newest checkpoint kept outside the database: ${witness}`);

    const dir = copyOfData();
    const db = openForTampering(dir);
    const { max } = db.prepare('SELECT MAX(seq) AS max FROM audit_events').get() as { max: number };
    db.prepare('DELETE FROM audit_events WHERE seq > ?').run(max - 50);
    db.prepare('DELETE FROM audit_checkpoints WHERE seq > ?').run(max - 50);
    setHead(db);
    db.close();
    // Without the witness the chain looks like a run whose newest events were never signed; only the
    // erased lead gives the cut away, its receipt being among the events cut.
    const blind = await verifyInProcess(dir);
    expect(blind).toMatchObject({ ok: false, problem: 'lead_record_changed', leadId: erasedLeadId });
    expect(!blind.ok && blind.detail).toContain('no erasure receipt');

    const r = pingdesk('audit', 'verify', '--data-dir', dir, '--checkpoint', witness);
    expect(r.code).toBe(1);
    expect(r.out).toContain(`BROKEN at seq ${max - 49} (checkpoint_missing)`);
  });

  it('editing an event and recomputing every later hash is caught: the signed hash no longer matches', () => {
    const dir = copyOfData();
    const db = openForTampering(dir);
    const rows = db.prepare('SELECT seq, lead_id, at, type, actor, data FROM audit_events WHERE seq >= 5 ORDER BY seq').all() as Array<{ seq: number; lead_id: string | null; at: number; type: string; actor: string; data: string }>;
    let prev = (db.prepare('SELECT hash FROM audit_events WHERE seq = 4').get() as { hash: string }).hash;
    const rewrite = db.prepare('UPDATE audit_events SET data = ?, prev_hash = ?, hash = ? WHERE seq = ?');
    db.transaction(() => {
      for (const row of rows) {
        const edited = row.seq === 5 ? JSON.stringify({ ...(JSON.parse(row.data) as object), tampered: true }) : row.data;
        const hash = hashEvent(prev, canonicalEvent(row.seq, row.lead_id, row.at, row.type, row.actor, edited));
        rewrite.run(edited, prev, hash, row.seq);
        prev = hash;
      }
    })();
    setHead(db);
    db.close();
    expect(chainOnlyVerdict(dir)).toBe(true);

    const r = pingdesk('audit', 'verify', '--data-dir', dir);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/BROKEN at seq \d+ \(checkpoint_off_chain\)/);
  });

  it('a checkpoint forged with another key is caught, whether it names that key or the real one', () => {
    const other = generateKeyPairSync('ed25519').privateKey;
    for (const claimRealKey of [false, true]) {
      const dir = copyOfData();
      const db = openForTampering(dir);
      const realKeyId = (db.prepare('SELECT key_id FROM audit_checkpoints LIMIT 1').get() as { key_id: string }).key_id;
      const { max } = db.prepare('SELECT MAX(seq) AS max FROM audit_events').get() as { max: number };
      db.prepare('DELETE FROM audit_events WHERE seq > ?').run(max - 50);
      db.prepare('DELETE FROM audit_checkpoints WHERE seq > ?').run(max - 50);
      setHead(db);
      const head = db.prepare('SELECT seq, hash FROM audit_events ORDER BY seq DESC LIMIT 1').get() as { seq: number; hash: string };
      const databaseId = (db.prepare("SELECT value FROM meta WHERE key = 'database_id'").get() as { value: string }).value;
      const forged = signCheckpoint(other, databaseId, head, Date.now());
      db.prepare('INSERT INTO audit_checkpoints (seq, hash, at, key_id, signature) VALUES (?, ?, ?, ?, ?)').run(forged.seq, forged.hash, forged.at, claimRealKey ? realKeyId : forged.keyId, forged.signature);
      db.close();

      const r = pingdesk('audit', 'verify', '--data-dir', dir);
      expect(r.code).toBe(1);
      expect(r.out).toContain(claimRealKey ? '(checkpoint_bad_signature)' : '(checkpoint_foreign_key)');
    }
  });

  it('re-signing everything with a new key stored in the database is caught with the public key the reviewer holds', async () => {
    const publicFile = path.join(keyDir, 'reviewer.pem');
    expect(pingdesk('audit', 'public-key', '--data-dir', pristine, '--out', publicFile).code).toBe(0);

    const dir = copyOfData();
    const db = openForTampering(dir);
    const other = generateKeyPairSync('ed25519').privateKey;
    const databaseId = (db.prepare("SELECT value FROM meta WHERE key = 'database_id'").get() as { value: string }).value;
    const checkpoints = db.prepare('SELECT seq, hash, at FROM audit_checkpoints').all() as Array<{ seq: number; hash: string; at: number }>;
    db.exec('DELETE FROM audit_checkpoints');
    for (const c of checkpoints) {
      const s = signCheckpoint(other, databaseId, c, c.at);
      db.prepare('INSERT INTO audit_checkpoints (seq, hash, at, key_id, signature) VALUES (?, ?, ?, ?, ?)').run(s.seq, s.hash, s.at, s.keyId, s.signature);
    }
    db.prepare("UPDATE meta SET value = ? WHERE key = 'signing_public_key'").run(publicKeyPem(other));
    db.close();

    // The database now vouches for itself; only the separately held key tells.
    expect(await verifyInProcess(dir)).toMatchObject({ ok: true, keySource: 'database' });
    expect(await verifyInProcess(pristine, publicFile)).toMatchObject({ ok: true, keySource: 'given' });
    const r = pingdesk('audit', 'verify', '--data-dir', dir, '--public-key', publicFile);
    expect(r.code).toBe(1);
    expect(r.out).toContain('(public_key_mismatch)');
  });

  it('one changed consent character in the leads table is caught, naming the lead', () => {
    const dir = copyOfData();
    const db = openForTampering(dir);
    const target = leadIds[10];
    const row = db.prepare('SELECT consent_json FROM leads WHERE id = ?').get(target) as { consent_json: string };
    db.prepare('UPDATE leads SET consent_json = ? WHERE id = ?').run(row.consent_json.replace('Acme Insurance', 'Acme insurance'), target);
    db.close();
    expect(chainOnlyVerdict(dir)).toBe(true);

    const r = pingdesk('audit', 'verify', '--data-dir', dir);
    expect(r.code).toBe(1);
    expect(r.out).toContain('(lead_record_changed)');
    expect(r.out).toContain(`lead ${target}`);
  });

  it('a changed contact field is caught on a live lead, and erasure leaves no key to test guesses against', () => {
    const dir = copyOfData();
    const db = openForTampering(dir);
    const keys = db.prepare('SELECT id FROM leads WHERE lead_key IS NOT NULL').all() as Array<{ id: string }>;
    expect(keys.map((k) => k.id)).not.toContain(erasedLeadId);
    expect(keys).toHaveLength(24);
    const target = leadIds[12];
    const row = db.prepare('SELECT fields_json FROM leads WHERE id = ?').get(target) as { fields_json: string };
    const fields = JSON.parse(row.fields_json) as Record<string, unknown>;
    db.prepare('UPDATE leads SET fields_json = ? WHERE id = ?').run(JSON.stringify({ ...fields, email: 'someone.else@example.com' }), target);
    db.close();

    const r = pingdesk('audit', 'verify', '--data-dir', dir);
    expect(r.code).toBe(1);
    expect(r.out).toContain('(lead_record_changed)');
    expect(r.out).toContain('contact fields');
  });

  it('verify needs only the public key and leaves a read-only copy exactly as it was', async () => {
    const dir = copyOfData();
    const publicFile = path.join(dir, '..', `${path.basename(dir)}.pem`);
    copies.push(publicFile);
    expect(pingdesk('audit', 'public-key', '--data-dir', dir, '--out', publicFile).code).toBe(0);
    const files = fs.readdirSync(dir, { withFileTypes: true }).filter((e) => e.isFile()).map((e) => e.name);
    const before = new Map(files.map((f) => [f, fs.readFileSync(path.join(dir, f)).toString('base64')]));
    for (const f of before.keys()) fs.chmodSync(path.join(dir, f), 0o444);
    fs.chmodSync(dir, 0o555);
    try {
      const r = pingdesk('audit', 'verify', '--data-dir', dir, '--public-key', publicFile);
      expect(r.code).toBe(0);
      expect(r.out).toContain('0 events after it not yet signed');
    } finally {
      fs.chmodSync(dir, 0o755);
    }
    const after = new Map(files.map((f) => [f, fs.readFileSync(path.join(dir, f)).toString('base64')]));
    expect(after).toEqual(before);

    const printed = pingdesk('audit', 'public-key', '--data-dir', dir);
    expect(printed.out).toContain('-----BEGIN PUBLIC KEY-----');
    const store = Store.open({ dataDir: dir, readonly: true });
    expect(store.auditPublicKeyPem()).toBe(printed.out);
    store.close();
  });
});
