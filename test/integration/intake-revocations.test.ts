import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { hashContact } from '../../src/engine/store/contact-hash.js';
import { startBuyer, type TestBuyer } from '../support/buyer-server.js';
import { autoCampaign, buyerFor, leadBody, makeDataDir, startTestEngine, workspaceOf, type TestEngine } from './fixtures/engine-harness.js';

/**
 * `POST /v1/revocations` (DESIGN §4) over real loopback HTTP: a source or a buyer reports that a
 * consumer withdrew consent; the consumer is suppressed at once and the revocation is audited
 * with hashes only.
 */

const BUYER_KEY = 'buy_acme_key_1';

let acme: TestBuyer;
const open: TestEngine[] = [];
const dirs: string[] = [];
const workspace = () => workspaceOf(autoCampaign([{ name: 'Tier 1', floor: 5, buyers: ['acme'] }]), [buyerFor(acme, 'acme', { apiKey: BUYER_KEY })]);

async function engine(dir?: string): Promise<TestEngine> {
  const h = await startTestEngine({ workspace: dir ? undefined : workspace(), ...(dir ? { dir } : {}) });
  open.push(h);
  return h;
}

function counts(h: TestEngine) {
  const db = h.db();
  return {
    suppression: (db.prepare('SELECT COUNT(*) AS n FROM suppression').get() as { n: number }).n,
    audit: (db.prepare('SELECT COUNT(*) AS n FROM audit_events').get() as { n: number }).n,
  };
}

function revocationEvents(h: TestEngine) {
  return (h.db().prepare("SELECT actor, at, data FROM audit_events WHERE type = 'suppression' ORDER BY seq").all() as Array<{ actor: string; at: number; data: string }>)
    .map((r) => ({ ...r, parsed: JSON.parse(r.data) as Record<string, unknown> }))
    .filter((r) => r.parsed.action === 'revocation');
}

beforeAll(async () => {
  acme = await startBuyer({ bid: 30 });
});
afterEach(async () => {
  await Promise.all(open.splice(0).map((h) => h.close()));
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});
afterAll(() => acme.close());

describe('POST /v1/revocations', () => {
  it('suppresses the consumer at once: their next lead is refused as suppressed, also after a restart', async () => {
    const dir = makeDataDir();
    dirs.push(dir);
    const h = await startTestEngine({ dir, workspace: workspace() });
    open.push(h);
    const lead = leadBody();
    const before = acme.requests.length;
    const captured = new Date(Date.now() - 3_600_000).toISOString();
    const r = await h.post('/v1/revocations', { phone: lead.fields.phone, captured_at: captured, reason: `Ana Diaz ${lead.fields.phone} said stop` });
    expect(r.status).toBe(202);
    expect(r.body).toMatchObject({ status: 'suppressed', suppressed: ['phone'], reason_code: 'other', revocation_id: expect.stringMatching(/^rev_/) });
    expect(Date.parse(r.body.received_at)).toBeGreaterThan(Date.now() - 60_000);

    const refused = await h.sendLead(lead);
    expect(refused.status).toBe(409);
    expect(refused.body.error).toBe('suppressed');
    expect(acme.requests.length).toBe(before);

    // The trail holds the hashes, the actor and both times; nothing the source wrote.
    const [event] = revocationEvents(h);
    expect(event.actor).toBe('source:pub-1');
    expect(event.parsed).toMatchObject({ reasonCode: 'other', capturedAt: Date.parse(captured), receivedAt: event.at, phoneHash: expect.stringMatching(/^[0-9a-f]{64}$/), added: 1 });
    expect(event.data).not.toMatch(/Diaz|Ana|stop/);
    expect(event.data).not.toContain(lead.fields.phone.slice(2));

    await h.close();
    const again = await engine(dir);
    const afterRestart = await again.sendLead(leadBody({ fields: { phone: lead.fields.phone } }));
    expect(afterRestart.status).toBe(409);
    expect(afterRestart.body.error).toBe('suppressed');
    expect(acme.requests.length).toBe(before);
  });

  it('accepts a buyer key and an email alone, and keeps a known reason code', async () => {
    const h = await engine();
    const lead = leadBody();
    const r = await h.post('/v1/revocations', { email: `  ${lead.fields.email.toUpperCase()} `, reason: 'STOP reply' }, { key: BUYER_KEY });
    expect(r.status).toBe(202);
    expect(r.body).toMatchObject({ status: 'suppressed', suppressed: ['email'], reason_code: 'stop_reply' });
    expect((await h.sendLead(lead)).body.error).toBe('suppressed');
    expect(revocationEvents(h).map((e) => e.actor)).toEqual(['buyer:acme']);
    // Revoking again is answered the same way and adds nothing to the list.
    const twice = await h.post('/v1/revocations', { email: lead.fields.email }, { key: BUYER_KEY });
    expect(twice.status).toBe(202);
    expect(revocationEvents(h).map((e) => e.parsed.added)).toEqual([1, 0]);
  });

  it('refuses a bad phone or email with 422 field details and changes nothing', async () => {
    const h = await engine();
    await h.sendLead(leadBody());
    const base = counts(h);
    const cases: Array<[unknown, string[]]> = [
      [{ phone: '555-01', email: 'ana@example.com' }, ['phone']],
      [{ phone: '+15125550142', email: 'ana@example' }, ['email']],
      [{}, ['phone']],
      [{ reason: 'no contact given' }, ['phone']],
      [{ phone: '+15125550142', captured_at: 'yesterday' }, ['captured_at']],
      [{ phone: '+15125550142', captured_at: new Date(Date.now() + 86_400_000).toISOString() }, ['captured_at']],
      [{ phone: '+15125550142', reason: 42 }, ['reason']],
    ];
    for (const [body, fields] of cases) {
      const r = await h.post('/v1/revocations', body);
      expect(r.status, JSON.stringify(body)).toBe(422);
      expect(r.body.error).toBe('validation_failed');
      expect(r.body.details.map((d: { field: string }) => d.field)).toEqual(fields);
    }
    expect(counts(h)).toEqual(base);
    // A good email next to a bad phone was not suppressed either.
    expect((await h.sendLead(leadBody({ fields: { email: 'ana@example.com', phone: '+15125550199' } }))).status).toBe(200);
  });

  it('refuses a missing or unknown key with 401 and changes nothing', async () => {
    const h = await engine();
    await h.sendLead(leadBody());
    const base = counts(h);
    expect((await h.post('/v1/revocations', { phone: '+15125550142' }, { key: null })).status).toBe(401);
    const unknown = await h.post('/v1/revocations', { phone: '+15125550142' }, { key: 'src_nobody' });
    expect(unknown.status).toBe(401);
    expect(unknown.body).toMatchObject({ error: 'unauthorized', message: expect.any(String) });
    expect(counts(h)).toEqual(base);
  });

  it('an operator records a revocation from the console, audited under the operator', async () => {
    const h = await engine();
    const lead = leadBody();
    const r = await h.call<{ status: string; suppressed: string[]; reasonCode: string }>('suppression.revoke', { phone: lead.fields.phone, email: lead.fields.email, reason: 'called to say stop' }, 'console:browser');
    expect(r).toMatchObject({ status: 'suppressed', suppressed: ['phone', 'email'], reasonCode: 'other' });
    expect((await h.sendLead(lead)).body.error).toBe('suppressed');
    const [event] = revocationEvents(h);
    expect(event.actor).toBe('console:browser');
    expect(event.data).not.toContain('called');
    const bad = await h.callReply('suppression.revoke', { phone: 'nope' });
    expect(bad).toMatchObject({ ok: false, error: { code: 'validation_failed', details: [{ field: 'phone' }] } });
  });
});

describe('a revocation acknowledged just before a crash', () => {
  it('is still suppressed and audited after kill -9 and a restart', async () => {
    const dir = makeDataDir('pingdesk-revoke-crash-');
    dirs.push(dir);
    const runner = path.join(import.meta.dirname, 'fixtures', 'revocation-crash-runner.ts');
    const acked = await new Promise<string[]>((resolve, reject) => {
      const child = spawn(process.execPath, ['--import', 'tsx', runner, dir], { stdio: ['ignore', 'pipe', 'pipe'] });
      const phones: string[] = [];
      let buffered = '';
      let stderr = '';
      child.stdout.setEncoding('utf8');
      child.stdout.on('data', (chunk: string) => {
        buffered += chunk;
        const lines = buffered.split('\n');
        buffered = lines.pop() ?? '';
        for (const l of lines) if (l.startsWith('ack ')) phones.push(l.slice(4));
        if (phones.length >= 200 && !child.killed) child.kill('SIGKILL');
      });
      child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
      child.on('exit', (_code, signal) => {
        if (signal !== 'SIGKILL') return reject(new Error(`runner exited on its own: ${stderr}`));
        for (const l of buffered.split('\n')) if (l.startsWith('ack ')) phones.push(l.slice(4));
        resolve(phones);
      });
    });
    expect(acked.length).toBeGreaterThanOrEqual(200);

    const h = await engine(dir);
    await h.call('workspace.import', { workspace: workspace() });
    const audited = new Set(revocationEvents(h).map((e) => e.parsed.phoneHash));
    const db = h.db();
    const salt = db.prepare("SELECT value FROM meta WHERE key = 'contact_salt'").pluck().get() as string;
    for (const phone of acked) expect(audited.has(hashContact(salt, phone)), phone).toBe(true);
    for (const phone of [acked[0], acked[acked.length - 1]]) {
      const r = await h.sendLead(leadBody({ fields: { phone } }));
      expect(r.status, phone).toBe(409);
      expect(r.body.error).toBe('suppressed');
    }
    expect(await h.call('audit.verify', {})).toMatchObject({ ok: true });
  }, 120_000);
});
