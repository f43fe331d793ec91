import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databasePath } from '../../src/engine/store/open-database.js';
import { startBuyer, type TestBuyer } from '../support/buyer-server.js';
import { autoCampaign, buyerFor, leadBody, makeDataDir, startTestEngine, workspaceOf } from './fixtures/engine-harness.js';
import { pingdesk } from './fixtures/serve-process.js';


let dir: string;
let buyer: TestBuyer;

beforeAll(async () => {
  buyer = await startBuyer({ bid: 30 });
  dir = makeDataDir('pingdesk-cli-');
  const h = await startTestEngine({ dir, workspace: workspaceOf(autoCampaign([{ name: 'Tier 1', floor: 5, buyers: ['acme'] }]), [buyerFor(buyer, 'acme')]) });
  for (let i = 0; i < 3; i += 1) expect((await h.sendLead(leadBody())).body.status).toBe('sold');
  await h.close();
});

afterAll(async () => {
  await buyer.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('the pingdesk command line', () => {
  it('export leads writes a CSV with a header and one row per lead', () => {
    const out = path.join(dir, 'leads.csv');
    const r = pingdesk('export', 'leads', '--data-dir', dir, '--out', out);
    expect(r.code).toBe(0);
    expect(r.out).toContain('exported 3 leads rows');
    const lines = fs.readFileSync(out, 'utf8').trim().split('\n');
    expect(lines).toHaveLength(4);
    expect(lines[0]).toMatch(/^id,/);
  });

  it('export refuses an unknown kind and a bad date with a usage message', () => {
    expect(pingdesk('export', 'buyers', '--data-dir', dir, '--out', '/tmp/x.csv').code).toBe(2);
    const bad = pingdesk('export', 'audit', '--data-dir', dir, '--from', 'yesterday-ish', '--out', path.join(dir, 'a.csv'));
    expect(bad.code).toBe(1);
    expect(bad.err).toContain('--from is not a date');
  });

  it('suppress import adds phones and emails and lists refused rows with the reason', () => {
    const csv = path.join(dir, 'suppress.csv');
    fs.writeFileSync(csv, 'phone,email\n(512) 240-0142,\n,Someone@Example.com\nnot-a-phone,\n');
    const r = pingdesk('suppress', 'import', '--data-dir', dir, csv);
    expect(r.code).toBe(0);
    expect(r.out).toContain('added 2, already present 0, refused 1');
    expect(r.out).toMatch(/line 4: "not-a-phone"/);
    const db = new Database(databasePath(dir), { readonly: true });
    const events = db.prepare("SELECT actor, data FROM audit_events WHERE type = 'suppression'").all();
    db.close();
    expect(events).toEqual([{ actor: 'cli', data: JSON.stringify({ action: 'import', added: 2, duplicates: 0, refused: 1 }) }]);
  });

  it('audit verify exits 0 on an intact trail and 1 naming the first bad seq after an edit', () => {
    const ok = pingdesk('audit', 'verify', '--data-dir', dir);
    expect(ok.code).toBe(0);
    expect(ok.out).toMatch(/audit trail intact: \d+ events/);

    // Tamper as an attacker with file access would: remove the guard, then edit an event.
    const db = new Database(databasePath(dir));
    for (const t of db.prepare("SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'audit_events'").all() as Array<{ name: string }>) db.exec(`DROP TRIGGER ${t.name}`);
    db.prepare("UPDATE audit_events SET data = '{\"tampered\":true}' WHERE seq = 5").run();
    db.close();

    const broken = pingdesk('audit', 'verify', '--data-dir', dir);
    expect(broken.code).toBe(1);
    expect(broken.out).toContain('BROKEN at seq 5');
  });

  it('an unknown command prints the usage and exits 2', () => {
    const r = pingdesk('frobnicate');
    expect(r.code).toBe(2);
    expect(r.err).toContain('pingdesk audit verify --data-dir DIR');
  });
});
