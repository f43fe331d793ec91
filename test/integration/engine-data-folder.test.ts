import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import pino from 'pino';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_META_KEY } from '../../src/engine/demo/demo-folder.js';
import { DEMO_SOURCE_KEY, demoWorkspace } from '../../src/engine/demo/demo-buyers.js';
import { DEMO_AUTO_SELLERS, DEMO_HOME_SELLERS } from '../../src/engine/demo/demo-names.js';
import { demoLeadSequence } from '../../src/engine/demo/run-demo.js';
import { startEngine } from '../../src/engine/engine.js';
import { lockDataFolder } from '../../src/engine/store/folder-lock.js';
import { databasePath } from '../../src/engine/store/open-database.js';
import type { ExportResult } from '../../src/shared/console-api.js';
import type { Workspace } from '../../src/shared/domain.js';
import { startBuyer, type TestBuyer } from '../support/buyer-server.js';
import { autoCampaign, buyerFor, inWaves, leadBody, makeDataDir, startTestEngine, workspaceOf, type TestEngine } from './fixtures/engine-harness.js';
import { pingdesk } from './fixtures/serve-process.js';

let buyer: TestBuyer;
let dir: string;
const open: TestEngine[] = [];

beforeAll(async () => {
  buyer = await startBuyer({ bid: 30 });
});
afterAll(async () => {
  await buyer.close();
});
afterEach(async () => {
  for (const h of open.splice(0).reverse()) await h.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

async function engineOn(opts: Parameters<typeof startTestEngine>[0]): Promise<TestEngine> {
  const h = await startTestEngine({ dir, ...opts });
  open.push(h);
  return h;
}

const brokerWorkspace = (): Workspace => workspaceOf(autoCampaign([{ name: 'Tier 1', floor: 5, buyers: ['acme'] }]), [buyerFor(buyer, 'acme')]);
const mode = (file: string) => fs.statSync(path.join(dir, file)).mode & 0o777;

function meta(key: string): string | null {
  const db = new Database(databasePath(dir), { readonly: true });
  try {
    return (db.prepare('SELECT value FROM meta WHERE key = ?').get(key) as { value: string } | undefined)?.value ?? null;
  } finally {
    db.close();
  }
}

function auditCount(): number {
  const db = new Database(databasePath(dir), { readonly: true });
  try {
    return (db.prepare('SELECT COUNT(*) AS n FROM audit_events').get() as { n: number }).n;
  } finally {
    db.close();
  }
}

describe('one engine per data folder, in one process too', () => {
  it('refuses a second engine on the folder while the first runs, and lets one start after it closed', async () => {
    dir = makeDataDir('pingdesk-folder-');
    const first = await engineOn({ workspace: brokerWorkspace() });
    expect((await first.sendLead(leadBody())).body.status).toBe('sold');

    const refused = startEngine({ dataDir: dir, intakePort: 0, logger: pino({ level: 'silent' }) });
    await expect(refused).rejects.toMatchObject({ code: 'folder_locked' });
    await expect(refused).rejects.toThrow(`${dir} is in use by process ${process.pid}`);
    // The running engine is unharmed: it still sells and its trail still verifies.
    expect((await first.sendLead(leadBody())).body.status).toBe('sold');

    // Read-only review takes no lock and may sit beside the running engine.
    const review = await startEngine({ dataDir: dir, readOnly: true, logger: pino({ level: 'silent' }) });
    expect(review.intakeUrl).toBeNull();
    await review.close();

    await first.close();
    const next = await engineOn({});
    expect((await next.call<{ ok: boolean }>('audit.verify')).ok).toBe(true);
    expect(next.db().prepare("SELECT COUNT(*) AS n FROM leads WHERE status = 'sold'").get()).toEqual({ n: 2 });
  });

  it('releases the folder when the start fails half-way (intake port taken)', async () => {
    dir = makeDataDir('pingdesk-folder-');
    const holder = await engineOn({});
    const port = Number(new URL(holder.intakeUrl).port);
    await holder.close();
    // Another folder's engine holds the port now.
    const otherDir = makeDataDir('pingdesk-folder-other-');
    const other = await startTestEngine({ dir: otherDir, intakePort: port });
    try {
      await expect(startEngine({ dataDir: dir, intakePort: port, logger: pino({ level: 'silent' }) })).rejects.toMatchObject({ code: 'conflict' });
      // Nothing of the failed start is left: the lock is free and the store closed (no -wal left open).
      lockDataFolder(dir).release();
    } finally {
      await other.close();
      fs.rmSync(otherDir, { recursive: true, force: true });
    }
  });

  it('refuses a database with a damaged page, saying what to do, and releases the folder', async () => {
    dir = makeDataDir('pingdesk-folder-');
    const h = await engineOn({ workspace: brokerWorkspace() });
    await h.close();
    const file = databasePath(dir);
    const bytes = fs.readFileSync(file);
    // Page 1 holds the schema after the 100-byte header: scribble over its b-tree.
    bytes.fill(0xa5, 100, 4096);
    fs.writeFileSync(file, bytes);
    await expect(startEngine({ dataDir: dir, intakePort: 0, logger: pino({ level: 'silent' }) })).rejects.toMatchObject({ code: 'database_corrupt' });
    await expect(startEngine({ dataDir: dir, intakePort: 0, logger: pino({ level: 'silent' }) })).rejects.toThrow(/Restore the data folder from a backup or an archive/);
    expect(fs.readFileSync(file).equals(bytes)).toBe(true);
    lockDataFolder(dir).release();
  });
});

describe('data files are private to their user', () => {
  it('creates the folder 0700 and its files 0600, and tightens what an older version left readable', async () => {
    dir = makeDataDir('pingdesk-modes-');
    fs.chmodSync(dir, 0o755);
    fs.mkdirSync(path.join(dir, 'logs'), { mode: 0o755 });
    fs.writeFileSync(path.join(dir, 'logs', 'pingdesk.log'), '', { mode: 0o644 });
    fs.mkdirSync(path.join(dir, 'exports'), { mode: 0o755 });
    fs.writeFileSync(path.join(dir, 'exports', 'old.csv'), 'id\n', { mode: 0o644 });

    const h = await engineOn({ workspace: brokerWorkspace() });
    expect((await h.sendLead(leadBody())).body.status).toBe('sold');
    const exported = await h.call<ExportResult>('export.csv', { kind: 'leads' });
    expect(mode('.')).toBe(0o700);
    for (const file of ['pingdesk.db', 'pingdesk.db-wal', 'pingdesk.db-shm', 'pingdesk.lock', 'pingdesk.lock.json', 'logs/pingdesk.log', 'exports/old.csv']) {
      expect(mode(file), file).toBe(0o600);
    }
    expect(mode('logs')).toBe(0o700);
    expect(mode('exports')).toBe(0o700);
    expect(fs.statSync(exported.path).mode & 0o777).toBe(0o600);
    await h.close();

    const out = path.join(dir, 'cli-export.csv');
    const r = pingdesk('export', 'leads', '--data-dir', dir, '--out', out);
    expect(r.code, r.err).toBe(0);
    expect(mode('cli-export.csv')).toBe(0o600);
  });
});

describe('the demo keeps to its own folder', () => {
  it('refuses a folder holding a broker configuration and leaves that configuration as it was', async () => {
    dir = makeDataDir('pingdesk-demo-');
    const h = await engineOn({ workspace: brokerWorkspace() });
    const before = await h.call<Workspace>('workspace.export');
    await h.close();
    const events = auditCount();

    const r = pingdesk('serve', '--demo', '--data-dir', dir, '--intake-port', '0', '--console-port', '0');
    expect(r.code).toBe(1);
    expect(r.err).toContain('demo_folder_refused');
    expect(r.err).toContain(dir);
    expect(r.err).toContain('./data-demo');

    const after = await engineOn({});
    expect(await after.call<Workspace>('workspace.export')).toEqual(before);
    expect(auditCount()).toBe(events);
    expect(meta(DEMO_META_KEY)).toBeNull();
  });

  it('runs on a new folder, marks it as a demo folder, and runs on it again', async () => {
    dir = makeDataDir('pingdesk-demo-');
    const first = await engineOn({ demo: { leadsPerSecond: 0 } });
    expect((await first.call<Workspace>('workspace.export')).sources.map((s) => s.id)).toEqual(['demo-source']);
    await first.close();
    expect(meta(DEMO_META_KEY)).not.toBeNull();
    const again = await engineOn({ demo: { leadsPerSecond: 0 } });
    expect((await again.call<Workspace>('workspace.export')).buyers.length).toBeGreaterThan(3);
    await again.close();

    // Once the broker imports a workspace of its own, the folder is no longer the demo's.
    const broker = await engineOn({ workspace: brokerWorkspace() });
    await broker.close();
    expect(meta(DEMO_META_KEY)).toBeNull();
    await expect(startEngine({ dataDir: dir, intakePort: 0, demo: { leadsPerSecond: 0 }, logger: pino({ level: 'silent' }) })).rejects.toMatchObject({ code: 'demo_folder_refused' });
  });

  it('accepts thousands of demo leads, across a restart, without refusing one as a duplicate', async () => {
    dir = makeDataDir('pingdesk-demo-leads-');
    // The demo's campaigns and source, with buyers that answer at once so thousands of auctions are quick.
    const names: Record<string, string> = { ...DEMO_AUTO_SELLERS, ...DEMO_HOME_SELLERS };
    const ws = demoWorkspace(Object.entries(names).map(([id, consentName]) => buyerFor(buyer, id, { name: consentName, consentName })));
    ws.sources = ws.sources.map((s) => ({ ...s, rateLimitPerMinute: 1_000_000 }));
    const send = async (h: TestEngine, count: number) => {
      const next = demoLeadSequence();
      const leads = Array.from({ length: count }, () => next());
      return inWaves(leads, 32, async (lead) => (await h.sendLead(lead, DEMO_SOURCE_KEY)).status);
    };

    const first = await engineOn({ workspace: ws });
    const firstRun = await send(first, 2500);
    await first.close();
    const second = await engineOn({});
    const secondRun = await send(second, 1500);

    const refused = [...firstRun, ...secondRun].filter((status) => status !== 200);
    expect(refused).toEqual([]);
    const db = second.db();
    expect(db.prepare('SELECT COUNT(*) AS n FROM leads').get()).toEqual({ n: 4000 });
    expect(db.prepare("SELECT COUNT(*) AS n FROM audit_events WHERE type = 'refused'").get()).toEqual({ n: 0 });
    expect((db.prepare("SELECT COUNT(*) AS n FROM leads WHERE status = 'sold'").get() as { n: number }).n).toBeGreaterThan(3000);
  }, 120_000);
});
