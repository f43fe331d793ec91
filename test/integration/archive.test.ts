import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { consoleMethods, type Reply, type SessionInfo } from '../../src/shared/console-api.js';
import type { Workspace } from '../../src/shared/domain.js';
import { TOKEN_HEADER } from '../../src/shared/transport.js';
import { startBuyer, type TestBuyer } from '../support/buyer-server.js';
import { autoCampaign, buyerFor, leadBody, SOURCE_KEY, workspaceOf } from './fixtures/engine-harness.js';
import { freePort, isListening, killServe, pingdeskAsync, spawnServe, whenServing, type ServeProcess } from './fixtures/serve-process.js';

/**
 * `pingdesk archive` takes a consistent copy of a folder a real `pingdesk serve` is selling leads
 * from, and `pingdesk serve --open` / `audit verify --open` / `export --open` review it read-only.
 */

let buyer: TestBuyer;
let work: string;
const serves: ServeProcess[] = [];
const savedKeyDir = process.env.PINGDESK_KEY_DIR;

beforeAll(async () => {
  buyer = await startBuyer({ bid: 30 });
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'pingdesk-archive-'));
  // The engine's signing key (and its witness) outside the data folder, for this test only.
  process.env.PINGDESK_KEY_DIR = path.join(work, 'keys');
});

afterEach(() => {
  for (const s of serves.splice(0)) killServe(s);
});

afterAll(async () => {
  await buyer.close();
  if (savedKeyDir === undefined) delete process.env.PINGDESK_KEY_DIR;
  else process.env.PINGDESK_KEY_DIR = savedKeyDir;
  fs.rmSync(work, { recursive: true, force: true });
});

function countLeads(dbFile: string): number {
  const db = new Database(dbFile, { readonly: true, fileMustExist: true });
  try {
    return (db.prepare('SELECT COUNT(*) AS n FROM leads').get() as { n: number }).n;
  } finally {
    db.close();
  }
}

async function consoleCall<T>(consoleUrl: string, name: string, args: unknown = {}): Promise<Reply<T>> {
  const url = new URL(consoleUrl);
  const res = await fetch(`${url.origin}/api/call/${encodeURIComponent(name)}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', [TOKEN_HEADER]: url.searchParams.get('token') ?? '' },
    body: JSON.stringify(args),
  });
  return (await res.json()) as Reply<T>;
}

/** A data folder with a serving engine and leads flowing in; returns the archive taken mid-stream. */
async function archiveUnderLoad(): Promise<{ dataDir: string; archive: string; before: number; after: number; sold: number }> {
  const dataDir = path.join(work, 'data');
  const wsFile = path.join(work, 'workspace.json');
  const workspace: Workspace = workspaceOf(autoCampaign([{ name: 'Tier 1', floor: 10, buyers: ['acme'] }]), [buyerFor(buyer, 'acme')]);
  fs.writeFileSync(wsFile, JSON.stringify(workspace));
  const serve = spawnServe(['--data-dir', dataDir, '--workspace', wsFile, '--intake-port', String(await freePort()), '--console-port', String(await freePort())]);
  serves.push(serve);
  const { intakeUrl } = await whenServing(serve);

  let sold = 0;
  let running = true;
  const loop = async (): Promise<void> => {
    while (running) {
      const res = await fetch(`${intakeUrl}/v1/leads`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${SOURCE_KEY}` }, body: JSON.stringify(leadBody()) });
      const body = (await res.json()) as { status?: string };
      if (body.status === 'sold') sold++;
    }
  };
  const loops = Array.from({ length: 6 }, loop);
  while (sold < 40) await new Promise((r) => setTimeout(r, 20));

  const dbFile = path.join(dataDir, 'pingdesk.db');
  const before = countLeads(dbFile);
  const archive = path.join(work, 'review.pdarchive');
  const made = await pingdeskAsync('archive', '--data-dir', dataDir, '--out', archive);
  const after = countLeads(dbFile);
  const soldDuring = sold;
  running = false;
  await Promise.all(loops);
  expect(made.err).toBe('');
  expect(made.code).toBe(0);
  // The engine kept selling while the copy was taken.
  expect(soldDuring).toBeGreaterThan(40);
  serve.child.kill('SIGTERM');
  expect((await serve.exited).code).toBe(0);
  return { dataDir, archive, before, after, sold };
}

describe('pingdesk archive', () => {
  let taken: Awaited<ReturnType<typeof archiveUnderLoad>>;

  beforeAll(async () => {
    taken = await archiveUnderLoad();
  }, 120_000);

  it('copies a serving folder consistently: one file, 0600, a verifying chain, a lead count between before and after', async () => {
    const { archive, before, after } = taken;
    expect(fs.statSync(archive).mode & 0o777).toBe(0o600);
    expect(fs.existsSync(`${archive}-wal`)).toBe(false);
    const db = new Database(archive, { readonly: true, fileMustExist: true });
    const leads = (db.prepare('SELECT COUNT(*) AS n FROM leads').get() as { n: number }).n;
    expect(db.pragma('journal_mode', { simple: true })).toBe('delete');
    // Every lead in the copy has its trail: no lead without its `received` event, no event of a missing lead.
    const orphans = db.prepare("SELECT COUNT(*) AS n FROM leads l WHERE NOT EXISTS (SELECT 1 FROM audit_events e WHERE e.lead_id = l.id AND e.type = 'received')").get() as { n: number };
    db.close();
    expect(leads).toBeGreaterThanOrEqual(before);
    expect(leads).toBeLessThanOrEqual(after);
    expect(orphans.n).toBe(0);

    const verified = await pingdeskAsync('audit', 'verify', '--open', archive);
    expect(verified.out).toMatch(/audit trail intact/);
    expect(verified.code).toBe(0);
  });

  it('exports from the archive and refuses an archive given as a data folder', async () => {
    const out = path.join(work, 'leads.csv');
    const exported = await pingdeskAsync('export', 'leads', '--open', taken.archive, '--out', out);
    expect(exported.code).toBe(0);
    const rows = fs.readFileSync(out, 'utf8').trim().split('\n').length - 1;
    expect(rows).toBe(countLeads(taken.archive));
    const wrong = await pingdeskAsync('audit', 'verify', '--data-dir', taken.archive);
    expect(wrong.code).toBe(1);
    expect(wrong.err).toContain(`--open ${taken.archive}`);
  });

  it('never overwrites an existing archive, and carries the newest signed checkpoint witness for offline review', async () => {
    const again = await pingdeskAsync('archive', '--data-dir', taken.dataDir, '--out', taken.archive);
    expect(again.code).toBe(1);
    expect(again.err).toContain('already exists');
    // The clean shutdown signed the head and left its witness beside the key: a later archive carries it.
    const later = path.join(work, 'later.pdarchive');
    const made = await pingdeskAsync('archive', '--data-dir', taken.dataDir, '--out', later);
    expect(made.out).toMatch(/newest signed checkpoint included: seq \d+/);
    const verified = await pingdeskAsync('audit', 'verify', '--open', later);
    expect(verified.code).toBe(0);
    expect(verified.out).toContain('(carried in the archive)');
    expect(verified.out).toMatch(/last verified checkpoint: seq \d+/);
  });

  it('serve --open answers a read-only console with no intake: every command refused read_only, the archive unchanged', async () => {
    const bytes = fs.readFileSync(taken.archive);
    const intakePort = await freePort();
    const serve = spawnServe(['--open', taken.archive, '--intake-port', String(intakePort), '--console-port', String(await freePort())]);
    serves.push(serve);
    const consoleUrl = await consoleUrlOf(serve);
    expect(serve.out()).not.toMatch(/^Intake:/m);
    expect(await isListening(intakePort)).toBe(false);

    const session = await consoleCall<SessionInfo>(consoleUrl, 'session.info');
    expect(session).toMatchObject({ ok: true, value: { readOnly: true, archive: taken.archive, intakeUrl: null } });
    const commands = Object.entries(consoleMethods).filter(([, def]) => def.mutates).map(([name]) => name);
    expect(commands.length).toBeGreaterThan(10);
    for (const name of commands) {
      expect(await consoleCall(consoleUrl, name, {}), name).toMatchObject({ ok: false, error: { code: 'read_only' } });
    }
    const verify = await consoleCall<{ ok: boolean }>(consoleUrl, 'audit.verify');
    expect(verify).toMatchObject({ ok: true, value: { ok: true } });
    const auctions = await consoleCall<{ rows: unknown[] }>(consoleUrl, 'auctions.list', {});
    expect(auctions.ok && auctions.value.rows.length).toBeGreaterThan(0);

    serve.child.kill('SIGTERM');
    expect((await serve.exited).code).toBe(0);
    expect(fs.readFileSync(taken.archive).equals(bytes)).toBe(true);
  });

  it('opens from read-only media', async (ctx) => {
    if (process.getuid?.() !== 0) ctx.skip('mounting a read-only tmpfs needs root');
    const mnt = fs.mkdtempSync(path.join(os.tmpdir(), 'pingdesk-ro-media-'));
    const mounted = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=64m', 'tmpfs', mnt]);
    if (mounted.status !== 0) ctx.skip(`cannot mount tmpfs here: ${mounted.stderr.toString()}`);
    try {
      const onMedia = path.join(mnt, 'review.pdarchive');
      fs.copyFileSync(taken.archive, onMedia);
      expect(spawnSync('mount', ['-o', 'remount,ro', mnt]).status).toBe(0);
      const verified = await pingdeskAsync('audit', 'verify', '--open', onMedia);
      expect(verified.code, verified.err).toBe(0);
      const serve = spawnServe(['--open', onMedia, '--console-port', String(await freePort())]);
      serves.push(serve);
      const consoleUrl = await consoleUrlOf(serve);
      expect(await consoleCall(consoleUrl, 'session.info')).toMatchObject({ ok: true, value: { readOnly: true } });
      serve.child.kill('SIGTERM');
      expect((await serve.exited).code).toBe(0);
      expect(fs.readdirSync(mnt)).toEqual(['review.pdarchive']);
    } finally {
      spawnSync('umount', [mnt]);
      fs.rmSync(mnt, { recursive: true, force: true });
    }
  });
});

/** serve --open prints a Console line and no Intake line. */
async function consoleUrlOf(serve: ServeProcess): Promise<string> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const url = /^Console: (\S+)$/m.exec(serve.out())?.[1];
    if (url) return url;
    if (serve.child.exitCode !== null || Date.now() > deadline) throw new Error(`serve --open did not start:\n${serve.out()}\n${serve.err()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
