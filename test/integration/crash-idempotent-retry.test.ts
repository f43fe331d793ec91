import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { Agent, request } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import { databasePath } from '../../src/engine/store/open-database.js';
import { Store } from '../../src/engine/store/index.js';
import { startBuyer, type TestBuyer } from '../support/buyer-server.js';
import { CLI_ENTRY, spawnWatched, type WatchedChild } from './fixtures/child-process.js';
import { autoCampaign, buyerFor, leadBody, makeDataDir, SOURCE_KEY, workspaceOf } from './fixtures/engine-harness.js';

type State = 'TX' | 'FL' | 'CA';
const ZIP: Record<State, string> = { TX: '78701', FL: '33101', CA: '94105' };

interface SentLead {
  key: string;
  state: State;
  body: ReturnType<typeof leadBody>;
  /** What the source got from the first engine, if anything (null: the kill cut it off). */
  first: { status: number; body: Record<string, unknown> } | null;
}

let dir = '';
let buyers: TestBuyer[] = [];
let serves: WatchedChild[] = [];
let agent: Agent | null = null;
afterEach(async () => {
  await Promise.all(serves.map((s) => s.killHard()));
  serves = [];
  await agent?.close();
  agent = null;
  await Promise.all(buyers.map((b) => b.close()));
  buyers = [];
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

/** `pingdesk serve` on the data folder, as a real process; resolves once its intake listens. */
async function serve(dataDir: string, extra: string[] = []): Promise<{ child: WatchedChild; intakeUrl: string }> {
  const child = spawnWatched([CLI_ENTRY, 'serve', '--data-dir', dataDir, '--intake-port', '0', '--console-port', '0', ...extra]);
  serves.push(child);
  const [, intakeUrl] = await child.waitForLine(/^Intake: (\S+)$/);
  return { child, intakeUrl };
}

async function postLead(intakeUrl: string, lead: SentLead, withKey = true): Promise<{ status: number; body: Record<string, unknown> }> {
  const headers: Record<string, string> = { 'content-type': 'application/json', authorization: `Bearer ${SOURCE_KEY}` };
  if (withKey) headers['idempotency-key'] = lead.key;
  const res = await request(`${intakeUrl}/v1/leads`, { method: 'POST', headers, body: JSON.stringify(lead.body), dispatcher: agent ?? undefined });
  return { status: res.statusCode, body: (await res.body.json()) as Record<string, unknown> };
}

const until = async (check: () => boolean, timeoutMs: number, what: string) => {
  const end = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
};

describe('a kill -9 under load, then retries with the same Idempotency-Keys', () => {
  it('replays every acknowledged answer, auctions every lead no buyer saw, and never gives one record to two buyers', async () => {
    dir = makeDataDir('pingdesk-crash-retry-');
    agent = new Agent({ connections: 128, keepAliveTimeout: 1000 });
    // Texas sells at once; Florida's buyer does not answer its pings (those leads die before any post);
    // California's buyer bids and then holds every post (those leads die after their post began).
    const quick = await startBuyer({ bid: 30 });
    const slow = await startBuyer({ hang: true });
    const stuck = await startBuyer({ bid: 40, postHang: true });
    buyers = [quick, slow, stuck];
    const workspace = workspaceOf(
      autoCampaign([{ name: 'Tier 1', floor: 20, buyers: ['quick', 'slow', 'stuck'] }], { pingTimeoutMs: 60_000, postTimeoutMs: 60_000, auctionTimeoutMs: 120_000 }),
      [
        buyerFor(quick, 'quick', { filters: { states: ['TX'] } }),
        buyerFor(slow, 'slow', { filters: { states: ['FL'] } }),
        buyerFor(stuck, 'stuck', { filters: { states: ['CA'] } }),
      ],
      { rateLimitPerMinute: 1_000_000 },
    );
    const workspaceFile = path.join(dir, 'workspace.json');
    fs.writeFileSync(workspaceFile, JSON.stringify(workspace));
    const dataDir = path.join(dir, 'data');

    const first = await serve(dataDir, ['--workspace', workspaceFile]);
    const sent: SentLead[] = [];
    const inFlight = new Set<Promise<void>>();
    const send = (state: State) => {
      const lead: SentLead = { key: `lead-${sent.length}-${state}`, state, body: leadBody({ fields: { state, zip: ZIP[state] } }), first: null };
      sent.push(lead);
      const p = postLead(first.intakeUrl, lead).then(
        (answer) => {
          lead.first = answer;
        },
        () => undefined,
      );
      inFlight.add(p);
      void p.finally(() => inFlight.delete(p));
      return p;
    };

    // Load: waves of six Texas leads with one Florida and one California lead each (those hang, nobody
    // waits for them), until enough of each kind is in its state: acknowledged, hanging at a ping,
    // hanging at a post.
    const acked = () => sent.filter((l) => l.first?.status === 200).length;
    while (acked() < 80 || slow.pings().length < 12 || stuck.posts().length < 12) {
      void send('FL');
      void send('CA');
      await Promise.all([0, 1, 2, 3, 4, 5].map(() => send('TX')));
    }
    // New leads stop so the Texas leads in flight finish (each hanging California post's `winner`
    // event is committed before its post leaves), then kill -9 with every hanging auction still open.
    const hanging = sent.filter((l) => l.state !== 'TX');
    await until(() => sent.every((l) => l.state !== 'TX' || l.first !== null), 10_000, 'the Texas leads to be answered');
    await until(() => stuck.posts().length === sent.filter((l) => l.state === 'CA').length && slow.pings().length === hanging.length - stuck.posts().length, 10_000, 'every hanging lead to reach its buyer');
    expect(hanging.every((l) => l.first === null)).toBe(true);
    await first.child.killHard();
    expect((await first.child.exited).signal).toBe('SIGKILL');
    await Promise.allSettled([...inFlight]);

    // The buyers are healthy again for the second run.
    slow.setBehaviour({ bid: 35 });
    stuck.setBehaviour({ bid: 40 });
    const second = await serve(dataDir);
    const caPostsBefore = stuck.posts().length;

    // Every lead is retried with its key, except every other Florida lead, which is retried without one.
    const retries = await Promise.all(sent.map(async (lead, i) => ({ lead, withKey: !(lead.state === 'FL' && i % 2 === 0), answer: await postLead(second.intakeUrl, lead, !(lead.state === 'FL' && i % 2 === 0)) })));
    for (const { lead, withKey, answer } of retries) {
      if (lead.first) {
        // Acknowledged: the identical first answer, status and body.
        expect(answer, lead.key).toEqual(lead.first);
      } else if (lead.state === 'CA') {
        // A buyer may hold it: nobody else gets it, and the source learns why.
        expect(answer, lead.key).toEqual({ status: 200, body: { lead_id: expect.any(String), status: 'unsold', reason: 'unconfirmed' } });
      } else {
        // Released: auctioned again as a new lead, with or without its key, never a duplicate.
        expect({ withKey, answer }, lead.key).toEqual({ withKey, answer: { status: 200, body: { lead_id: expect.any(String), status: 'sold', price: 24.5 } } });
      }
    }
    expect(stuck.posts().length).toBe(caPostsBefore);

    // No lead's full record reached two buyers, across both runs.
    const postsByPhone = new Map<string, string[]>();
    for (const [name, b] of [['quick', quick], ['slow', slow], ['stuck', stuck]] as const) {
      for (const p of b.posts()) postsByPhone.set(p.body.lead.phone, [...(postsByPhone.get(p.body.lead.phone) ?? []), name]);
    }
    for (const lead of sent) {
      const expected = lead.state === 'TX' ? ['quick'] : lead.state === 'FL' ? ['slow'] : ['stuck'];
      expect(postsByPhone.get(lead.body.fields.phone), lead.key).toEqual(expected);
    }

    second.child.child.kill('SIGTERM');
    expect((await second.child.exited).code).toBe(0);

    // What the store holds: every acknowledged lead as answered; each California lead unconfirmed once;
    // each Florida lead released once and sold once; no fingerprint or key left for a released lead.
    const db = new Database(databasePath(dataDir), { readonly: true });
    try {
      const firstLeadIds = sent.filter((l) => l.first).map((l) => l.first?.body.lead_id as string);
      const status = db.prepare('SELECT status FROM leads WHERE id = ?');
      for (const id of firstLeadIds) expect((status.get(id) as { status: string }).status, id).toMatch(/^(sold|unsold)$/);
      const byStatus = Object.fromEntries((db.prepare('SELECT status, state, COUNT(*) AS n FROM leads GROUP BY status, state').all() as Array<{ status: string; state: string; n: number }>).map((r) => [`${r.status}:${r.state}`, r.n]));
      const count = (state: State) => sent.filter((l) => l.state === state).length;
      expect(byStatus).toEqual({ 'sold:TX': count('TX'), 'unconfirmed:CA': count('CA'), 'interrupted:FL': count('FL'), 'sold:FL': count('FL') });
      expect(db.prepare("SELECT COUNT(*) AS n FROM auctions WHERE status = 'unconfirmed' AND reason = 'INTERRUPTED_AFTER_POST'").get()).toEqual({ n: count('CA') });
      expect(db.prepare("SELECT COUNT(*) AS n FROM auctions WHERE status = 'interrupted' AND reason = 'INTERRUPTED'").get()).toEqual({ n: count('FL') });
      expect(db.prepare("SELECT COUNT(*) AS n FROM fingerprints f JOIN leads l ON l.id = f.lead_id WHERE l.status = 'interrupted'").get()).toEqual({ n: 0 });
      expect(db.prepare("SELECT COUNT(*) AS n FROM idempotency_keys k JOIN leads l ON l.id = k.lead_id WHERE l.status = 'interrupted'").get()).toEqual({ n: 0 });
      expect(db.prepare('SELECT COUNT(*) AS n FROM idempotency_keys WHERE status IS NULL').get()).toEqual({ n: 0 });
    } finally {
      db.close();
    }
    const store = Store.open({ dataDir, readonly: true });
    try {
      expect(store.verifyAudit()).toMatchObject({ ok: true });
    } finally {
      store.close();
    }
  }, 90_000);
});
