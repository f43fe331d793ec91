import { createHash, createHmac } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { canonicalJson } from '../../src/engine/store/canonical-json.js';
import { databasePath } from '../../src/engine/store/open-database.js';
import type { CampaignSpec, Workspace } from '../../src/shared/domain.js';
import { startBuyer, type TestBuyer } from '../support/buyer-server.js';
import { autoCampaign, buyerFor, leadBody, makeDataDir, SOURCE_KEY, startTestEngine, type TestEngine } from './fixtures/engine-harness.js';
import { pingdesk } from './fixtures/serve-process.js';

const BUYER_KEY = 'buy_acme_erasure_key';

/** The consumer who asks to be erased: every value unique in the folder, so a grep can only find them. */
const ZELDA = {
  first_name: 'Zeldaria',
  last_name: 'Quixote-Marsh',
  phone: '+15125550142',
  email: 'zeldaria.qm@example.org',
  ip: '198.51.100.23',
  page_url: 'https://quotes.example/auto/zeldaria-landing',
  trustedform_cert_url: 'https://cert.trustedform.com/f00dfacecafe0142',
};
/** The phone as people and buyers write it. */
const PHONE_FORMS = ['+15125550142', '5125550142', '(512) 555-0142', '512-555-0142', '512.555.0142', '512 555 0142'];
const NEEDLES = [...PHONE_FORMS, ZELDA.email, ZELDA.first_name, ZELDA.last_name, ZELDA.ip, ZELDA.page_url, ZELDA.trustedform_cert_url, 'f00dfacecafe0142'];

function zeldaLead(campaign = 'auto-insurance', extra: Record<string, unknown> = {}) {
  const { ip, page_url, trustedform_cert_url, ...fields } = ZELDA;
  // A source's free text in the consent's seller list quotes the consumer too.
  const sellers = ['Acme Insurance', `${fields.first_name}'s agent 512-555-0142`];
  return leadBody({ campaign, fields: { ...fields, ...extra }, consent: { ip, page_url, trustedform_cert_url, sellers } });
}

function workspace(acme: TestBuyer, bolt: TestBuyer): Workspace {
  const tiers = [{ name: 'Tier 1', floor: 5, buyers: ['bolt', 'acme'] }];
  const auto = autoCampaign(tiers);
  const home: CampaignSpec = { ...autoCampaign(tiers), id: 'home-insurance', name: 'Home insurance', vertical: 'home-insurance' };
  return {
    version: 1,
    campaigns: [auto, home],
    sources: [{ id: 'pub-1', name: 'Quotes Site', apiKey: SOURCE_KEY, campaigns: [auto.id, home.id] }],
    buyers: [buyerFor(acme, 'acme', { apiKey: BUYER_KEY }), buyerFor(bolt, 'bolt')],
  };
}

/** Every file under the folder, recursively: database, WAL, shared memory, logs, exports. */
function folderFiles(dir: string): string[] {
  return fs.readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => path.join(e.parentPath, e.name));
}

/** Which needles appear in which file, as raw bytes (case-insensitive). */
function grepFolder(dir: string, needles: readonly string[]): string[] {
  const hits: string[] = [];
  for (const file of folderFiles(dir)) {
    const text = fs.readFileSync(file).toString('latin1').toLowerCase();
    for (const n of needles) if (text.includes(n.toLowerCase())) hits.push(`${path.relative(dir, file)}: ${n}`);
  }
  return hits;
}

/** What an attacker holding the folder reads first: the global salt and every lead key still there. */
function readSecrets(dir: string): { salt: string; keys: Buffer[] } {
  const db = new Database(databasePath(dir), { readonly: true });
  const salt = (db.prepare("SELECT value FROM meta WHERE key = 'contact_salt'").get() as { value: string }).value;
  const keys = (db.prepare('SELECT lead_key FROM leads WHERE lead_key IS NOT NULL').all() as Array<{ lead_key: Buffer }>).map((r) => r.lead_key);
  db.close();
  return { salt, keys };
}

/** Every 64-character window of every hex run in the folder's bytes: a record packs "phone" (which ends in a hex letter) against its hash. */
function retainedHashes(dir: string, ignore: ReadonlySet<string> = new Set()): Set<string> {
  const retained = new Set<string>();
  for (const file of folderFiles(dir)) {
    for (const [run] of fs.readFileSync(file).toString('latin1').matchAll(/[0-9a-f]{64,}/g)) {
      for (let i = 0; i + 64 <= run.length; i++) if (!ignore.has(run.slice(i, i + 64))) retained.add(run.slice(i, i + 64));
    }
  }
  return retained;
}

/**
 * The attack on pseudonymised trails: read the salt and every lead key the folder holds, then hash
 * every phone of the area code's 555-01xx… block (10,000 numbers) both ways and look for each hash
 * among every 64-hex string anywhere in the folder's bytes. Returns the numbers found.
 */
function bruteForcePhones(dir: string, ignore: ReadonlySet<string> = new Set()): string[] {
  const { salt, keys } = readSecrets(dir);
  const retained = retainedHashes(dir, ignore);
  const found = new Set<string>();
  for (let n = 0; n < 10_000; n++) {
    const phone = `+1512555${String(n).padStart(4, '0')}`;
    if (retained.has(createHash('sha256').update(salt).update(phone).digest('hex'))) found.add(phone);
    for (const key of keys) if (retained.has(createHmac('sha256', key).update(phone).digest('hex'))) found.add(phone);
  }
  return [...found];
}

/** The consent text and a seller quote the consumer's phone: free text a source wrote. */
const QUOTED_PHONE = '512-555-0142';
const quotingConsent = { text: `I, ${ZELDA.first_name}, at ${QUOTED_PHONE}, agree to be contacted by Acme Insurance.` };

/**
 * The attack on the record hash's non-contact part, for a phone quoted inside the consent text: the
 * attacker knows everything of the record but the phone (the kept fields, the consent text around it)
 * and hashes each candidate of the block, with the global salt and with every lead key the folder holds.
 */
function bruteForceKeptPart(dir: string, known: { fields: Record<string, unknown>; consent: Record<string, unknown> }): string[] {
  const { salt, keys } = readSecrets(dir);
  const retained = retainedHashes(dir);
  const template = canonicalJson(known);
  const found = new Set<string>();
  for (let n = 0; n < 10_000; n++) {
    const last4 = String(n).padStart(4, '0');
    const candidate = template.split(QUOTED_PHONE).join(`512-555-${last4}`);
    if (retained.has(createHmac('sha256', salt).update(candidate).digest('hex'))) found.add(`+1512555${last4}`);
    for (const key of keys) if (retained.has(createHmac('sha256', key).update(candidate).digest('hex'))) found.add(`+1512555${last4}`);
  }
  return [...found];
}

/** Stops the engine and changes a stored lead row the way someone holding the folder could. */
async function tamperLead(id: string, change: (row: { fields: Record<string, unknown>; consent: Record<string, unknown> }) => void): Promise<void> {
  await stop();
  const db = new Database(databasePath(dir));
  const row = db.prepare('SELECT fields_json, consent_json FROM leads WHERE id = ?').get(id) as { fields_json: string; consent_json: string };
  const lead = { fields: JSON.parse(row.fields_json) as Record<string, unknown>, consent: JSON.parse(row.consent_json) as Record<string, unknown> };
  change(lead);
  db.prepare('UPDATE leads SET fields_json = ?, consent_json = ? WHERE id = ?').run(JSON.stringify(lead.fields), JSON.stringify(lead.consent), id);
  db.close();
}

let dir: string;
let acme: TestBuyer;
let bolt: TestBuyer;
let h: TestEngine | null = null;

/** The engine with its real file logger, so the logs are part of what is grepped. */
const start = async (): Promise<TestEngine> => {
  h = await startTestEngine({ dir, workspace: h ? undefined : workspace(acme, bolt), logger: undefined });
  return h;
};
const stop = async (): Promise<void> => {
  await h?.close();
};

beforeEach(async () => {
  dir = makeDataDir('pingdesk-erasure-');
  acme = await startBuyer({ bid: 20 });
  // Bolt bids higher, then refuses the post quoting the consumer back: a buyer's free text.
  bolt = await startBuyer((req) => {
    const lead = (req.body?.lead ?? {}) as Record<string, string>;
    const digits = String(lead.phone ?? '').slice(-10);
    const phone = `(${digits.slice(0, 3)}) ${digits.slice(3, 6)}-${digits.slice(6)}`;
    return { bid: 30, postAccept: false, postReason: `duplicate: ${lead.first_name} ${lead.last_name}, ${phone}, ${lead.email}`, buyerRef: `ref-${lead.email}` };
  });
  h = null;
});
afterEach(async () => {
  await stop();
  await acme.close();
  await bolt.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

/** Zelda twice (two campaigns, the second with another email), Ana once, feedback naming Zelda, and exports of it all. */
async function seed(engine: TestEngine) {
  const first = await engine.sendLead(zeldaLead('auto-insurance', { unknown_5125550142_zeldaria: 'x' }));
  expect(first.body.status).toBe('sold');
  const second = await engine.sendLead({ ...zeldaLead('home-insurance'), fields: { ...zeldaLead('home-insurance').fields, email: 'zq.other@example.org' } });
  expect(second.body.status).toBe('sold');
  const other = leadBody();
  expect((await engine.sendLead(other)).body.status).toBe('sold');
  const feedback = await engine.post('/v1/feedback', { lead_id: first.body.lead_id, event: 'returned', reason: `Spoke to ${ZELDA.first_name} ${ZELDA.last_name} at 512.555.0142, email ${ZELDA.email}; wrong person` }, { key: BUYER_KEY });
  expect(feedback.status).toBe(200);
  for (const kind of ['leads', 'audit', 'auctions']) await engine.call('export.csv', { kind });
  return { zelda: [first.body.lead_id as string, second.body.lead_id as string], other };
}

describe('erasure that holds', () => {
  it('nothing from outside enters the trail raw: buyer reasons, feedback and unknown field names are masked before erasure', async () => {
    const engine = await start();
    const { zelda } = await seed(engine);
    const db = engine.db();
    const trail = (db.prepare('SELECT data FROM audit_events').all() as Array<{ data: string }>).map((r) => r.data).join('\n');
    const tables = (db.prepare("SELECT COALESCE(reason, '') || ' ' || COALESCE(buyer_ref, '') AS t FROM posts UNION ALL SELECT COALESCE(reason, '') FROM feedback").all() as Array<{ t: string }>).map((r) => r.t).join('\n');
    for (const n of NEEDLES) {
      expect(trail.toLowerCase()).not.toContain(n.toLowerCase());
      expect(tables.toLowerCase()).not.toContain(n.toLowerCase());
    }
    expect(tables).toContain('[redacted]');
    const validated = db.prepare("SELECT data FROM audit_events WHERE type = 'validated' AND lead_id = ?").get(zelda[0]) as { data: string };
    expect(JSON.parse(validated.data).dropped).toBe(1);
    const feedback = db.prepare('SELECT reason FROM feedback').get() as { reason: string };
    expect(feedback.reason).toBe('Spoke to [redacted] [redacted] at [redacted], email [redacted]; wrong person');
  });

  it('an erased phone is not recovered by brute force over its block, which finds it before erasure', async () => {
    const engine = await start();
    const { zelda } = await seed(engine);
    // The attack works on the unerased folder, through the global salt and through the lead's key alike.
    expect(bruteForcePhones(dir)).toEqual([ZELDA.phone]);
    const db = engine.db();
    const received = JSON.parse((db.prepare("SELECT data FROM audit_events WHERE type = 'received' AND lead_id = ?").get(zelda[0]) as { data: string }).data);
    const key = (db.prepare('SELECT lead_key FROM leads WHERE id = ?').get(zelda[0]) as { lead_key: Buffer }).lead_key;
    expect(received.phone).toBe(createHmac('sha256', key).update(ZELDA.phone).digest('hex'));

    const erased = await engine.call<{ leads: number; suppressed: number; exportsRemoved: number }>('leads.erase', { id: zelda[0], suppress: false });
    // Every export mentions the erased leads (by id at least), so every export goes.
    expect(erased).toEqual({ erased: true, leads: 2, suppressed: 0, exportsRemoved: 3 });
    expect(bruteForcePhones(dir)).toEqual([]);
    expect(grepFolder(dir, NEEDLES)).toEqual([]);
    expect(fs.readdirSync(path.join(dir, 'exports'))).toEqual([]);
    await stop();
    // The real file logger wrote here, so the logs were part of every grep.
    expect(folderFiles(dir).map((f) => path.relative(dir, f))).toEqual(expect.arrayContaining([path.join('logs', 'pingdesk.log'), 'pingdesk.db']));
    // Closed, with the WAL folded in and removed: still nothing.
    expect(bruteForcePhones(dir)).toEqual([]);
    expect(grepFolder(dir, NEEDLES)).toEqual([]);
    const verify = pingdesk('audit', 'verify', '--data-dir', dir);
    expect(verify.code).toBe(0);
  });

  it('erase --phone on a stopped engine finds the person in every campaign; --suppress refuses them a minute later; others still dedupe', async () => {
    const engine = await start();
    const { zelda, other } = await seed(engine);
    await stop();

    const r = pingdesk('erase', '--data-dir', dir, '--phone', '(512) 555-0142', '--suppress');
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toContain('erased 2 leads');
    expect(r.out).toContain('suppressed: 3 new entries');
    for (const n of NEEDLES) expect(r.out).not.toContain(n);
    expect(grepFolder(dir, NEEDLES)).toEqual([]);
    expect(pingdesk('audit', 'verify', '--data-dir', dir).code).toBe(0);

    const db = new Database(databasePath(dir), { readonly: true });
    const receipts = db.prepare("SELECT lead_id, actor, data FROM audit_events WHERE type = 'erased' ORDER BY lead_id").all() as Array<{ lead_id: string; actor: string; data: string }>;
    expect(receipts.map((e) => e.lead_id)).toEqual([...zelda].sort());
    expect(JSON.parse(receipts[0].data)).toMatchObject({ keyDestroyed: true, by: 'phone', leads: 2, suppressed: true, exportsRemoved: 3 });
    expect(db.prepare('SELECT COUNT(*) AS n FROM leads WHERE lead_key IS NULL AND id IN (?, ?)').get(...zelda)).toEqual({ n: 2 });
    // The suppression rows name no lead and keep no digits; the only hash an attacker can test is the one
    // the person asked to be kept for (documented): it links to nothing else.
    const suppression = db.prepare('SELECT hash, hint, source FROM suppression').all() as Array<{ hash: string; hint: string; source: string }>;
    expect(suppression).toHaveLength(3);
    for (const s of suppression) expect(s.hint).toBe('erased on request');
    db.close();
    expect(bruteForcePhones(dir)).toEqual([ZELDA.phone]);
    expect(bruteForcePhones(dir, new Set(suppression.map((s) => s.hash)))).toEqual([]);

    const again = await start();
    const resubmitted = await again.sendLead(zeldaLead());
    expect(resubmitted.status).toBe(409);
    expect(resubmitted.body.error).toBe('suppressed');
    // Everyone else's duplicate check still holds.
    const duplicate = await again.sendLead(other);
    expect(duplicate.status).toBe(409);
    expect(duplicate.body.error).toBe('duplicate');
  });

  it("erases the fields the campaign flagged as contact data when the lead arrived, after the campaign is deleted", async () => {
    const engine = await start();
    const base = workspace(acme, bolt);
    const auto = base.campaigns[0];
    // A contact field the shared contact names do not know, holding free text no shape test would catch.
    const flagged: CampaignSpec = { ...auto, fields: { ...auto.fields, spouse: { type: 'string', contact: true } } };
    await engine.call('campaigns.save', { campaign: flagged });
    const sent = await engine.sendLead(zeldaLead('auto-insurance', { spouse: 'Hieronyma Quixote-Marsh' }));
    expect(sent.body.status).toBe('sold');
    await engine.call('campaigns.delete', { id: 'auto-insurance' });
    const erased = await engine.call<{ leads: number }>('leads.erase', { id: sent.body.lead_id, suppress: false });
    expect(erased.leads).toBe(1);
    const lead = await engine.call<{ lead: { fields: Record<string, unknown> } }>('leads.get', { id: sent.body.lead_id });
    expect(lead.lead.fields).toMatchObject({ spouse: null, first_name: null, phone: null, state: 'TX' });
    await stop();
    expect(grepFolder(dir, [...NEEDLES, 'Hieronyma'])).toEqual([]);
  });

  it('the console erase with suppression refuses the same person re-submitted at once, and the chain verifies', async () => {
    const engine = await start();
    const { zelda } = await seed(engine);
    const erased = await engine.call<{ leads: number; suppressed: number }>('leads.erase', { id: zelda[1], suppress: true });
    expect(erased).toMatchObject({ leads: 2, suppressed: 3 });
    const resubmitted = await engine.sendLead(zeldaLead());
    expect(resubmitted.status).toBe(409);
    expect(resubmitted.body.error).toBe('suppressed');
    expect(acme.requests.filter((q) => q.path.endsWith('/post') && q.raw.includes(ZELDA.first_name))).toHaveLength(2);
    const verify = await engine.call<{ ok: boolean }>('audit.verify');
    expect(verify.ok).toBe(true);
    const lead = await engine.call<{ lead: { fields: Record<string, unknown>; consent: Record<string, unknown>; erased: boolean } }>('leads.get', { id: zelda[0] });
    expect(lead.lead.erased).toBe(true);
    expect(lead.lead.consent).toEqual({ text: expect.stringContaining('Acme Insurance'), captured_at: expect.any(String), sellers: ['Acme Insurance', "[redacted]'s agent [redacted]"] });
    expect(lead.lead.fields).toMatchObject({ first_name: null, last_name: null, phone: null, email: null, state: 'TX', zip: '78701' });
    await stop();
    expect(grepFolder(dir, NEEDLES)).toEqual([]);
  });
});

describe('the record hash across erasure', () => {
  it('a phone quoted in the consent text is found by brute force over the kept part before erasure, and not after', async () => {
    const engine = await start();
    const body = zeldaLead();
    const sent = await engine.sendLead({ ...body, consent: { ...body.consent, ...quotingConsent } });
    expect(sent.body.status).toBe('sold');
    const id = sent.body.lead_id as string;
    const db = engine.db();
    const received = JSON.parse((db.prepare("SELECT data FROM audit_events WHERE type = 'received' AND lead_id = ?").get(id) as { data: string }).data);
    const row = db.prepare('SELECT fields_json, consent_json FROM leads WHERE id = ?').get(id) as { fields_json: string; consent_json: string };
    const fields = JSON.parse(row.fields_json) as Record<string, unknown>;
    const consent = JSON.parse(row.consent_json) as Record<string, unknown>;
    expect(String(consent.text)).toContain(QUOTED_PHONE);
    // What the attacker knows: every field but the contact ones, the consent text and sellers around the phone.
    const known = {
      fields: Object.fromEntries(Object.entries(fields).filter(([name]) => !received.recordHash.contactFields.includes(name))),
      consent: { text: consent.text, captured_at: consent.captured_at, sellers: consent.sellers },
    };
    // The reconstruction is right: while the lead's key exists, its holder confirms the phone.
    expect(bruteForceKeptPart(dir, known)).toEqual([ZELDA.phone]);

    expect(await engine.call('leads.erase', { id, suppress: false })).toMatchObject({ leads: 1 });
    expect(bruteForceKeptPart(dir, known)).toEqual([]);
    await stop();
    expect(bruteForceKeptPart(dir, known)).toEqual([]);
    expect(grepFolder(dir, NEEDLES)).toEqual([]);
    const verify = pingdesk('audit', 'verify', '--data-dir', dir);
    expect(verify.out).toContain('0 match their record as received, 1 erased');
    expect(verify.code).toBe(0);
  });

  it('a row changed after erasure no longer matches the seal in its receipt', async () => {
    const engine = await start();
    const sent = await engine.sendLead(zeldaLead());
    const id = sent.body.lead_id as string;
    await engine.call('leads.erase', { id, suppress: false });
    const receipt = JSON.parse((engine.db().prepare("SELECT data FROM audit_events WHERE type = 'erased' AND lead_id = ?").get(id) as { data: string }).data);
    expect(receipt).toMatchObject({ priorRecord: 'intact', resealed: expect.stringMatching(/^[0-9a-f]{64}$/), keyDestroyed: true });
    expect(await engine.call('audit.verify')).toMatchObject({ ok: true, leads: { erased: 1 } });

    await tamperLead(id, (lead) => {
      lead.consent.captured_at = '2020-01-01T00:00:00.000Z';
    });
    const r = pingdesk('audit', 'verify', '--data-dir', dir);
    expect(r.code).toBe(1);
    expect(r.out).toContain('(lead_record_changed)');
    expect(r.out).toContain(`lead ${id} was changed after it was erased`);
  });

  it('a row changed before erasure is reported after erasure, from the receipt', async () => {
    const engine = await start();
    const sent = await engine.sendLead(zeldaLead());
    const id = sent.body.lead_id as string;
    expect((await engine.sendLead(leadBody())).body.status).toBe('sold');
    await tamperLead(id, (lead) => {
      lead.consent.text = String(lead.consent.text).replace('Acme Insurance', 'Acme Insurance and anyone else');
    });
    const again = await start();
    expect(await again.call('audit.verify')).toMatchObject({ ok: false, problem: 'lead_record_changed', leadId: id });
    // Erasure masks the consent text and destroys the key, but cannot launder the change.
    await again.call('leads.erase', { id, suppress: false });
    const receipt = JSON.parse((again.db().prepare("SELECT data FROM audit_events WHERE type = 'erased' AND lead_id = ?").get(id) as { data: string }).data);
    expect(receipt.priorRecord).toBe('changed');
    const verify = await again.call<{ ok: boolean; problem: string; leadId: string; detail: string }>('audit.verify');
    expect(verify).toMatchObject({ ok: false, problem: 'lead_record_changed', leadId: id });
    expect(verify.detail).toContain('was changed before it was erased');
    // Erasing it again carries the verdict over.
    await again.call('leads.erase', { id, suppress: false });
    expect(await again.call('audit.verify')).toMatchObject({ ok: false, problem: 'lead_record_changed', leadId: id });
  });
});
