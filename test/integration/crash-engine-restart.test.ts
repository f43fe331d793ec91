import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import type { AuctionSummary, LeadDetail } from '../../src/shared/console-api.js';
import { runUntilKilled } from './fixtures/child-process.js';
import { makeDataDir, startTestEngine, type TestEngine } from './fixtures/engine-harness.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const runner = path.join(here, 'fixtures', 'engine-crash-runner.ts');

let dir: string;
let harness: TestEngine | null = null;
afterEach(async () => {
  await harness?.close();
  harness = null;
  fs.rmSync(dir, { recursive: true, force: true });
});

/**
 * Runs the engine in a child until it has acknowledged `acks` leads and `open` auctions hang at a
 * post, then SIGKILLs it. Returns the acknowledged lead ids.
 */
async function runAndKill(dataDir: string, want: { acks: number; open: number }): Promise<string[]> {
  const parse = (lines: string[]) => {
    const acked = lines.filter((l) => l.startsWith('ack ')).map((l) => l.slice(4));
    const open = Number(lines.filter((l) => l.startsWith('open ')).at(-1)?.slice(5) ?? 0);
    return { acked, open };
  };
  const lines = await runUntilKilled(runner, [dataDir], (seen) => {
    const { acked, open } = parse(seen);
    return acked.length >= want.acks && open >= want.open;
  });
  return parse(lines).acked;
}

describe('engine crash and restart', () => {
  it('keeps every acknowledged lead after a SIGKILL; on restart a lead a buyer may hold is unconfirmed, the others released', async () => {
    dir = makeDataDir('pingdesk-crash-');
    const acked = await runAndKill(dir, { acks: 40, open: 10 });
    expect(acked.length).toBeGreaterThanOrEqual(40);

    harness = await startTestEngine({ dir });
    const h = harness;
    const ackedStatus = new Map<string, string>();
    for (const id of acked) {
      const lead = await h.call<LeadDetail>('leads.get', { id });
      ackedStatus.set(id, lead.lead.status);
      // Texas leads sell; a California lead is acknowledged only once the stuck buyer's circuit opened.
      expect(lead.lead.status, id).toBe(lead.lead.state === 'TX' ? 'sold' : 'unsold');
      expect(lead.trail[0].type, id).toBe('received');
      expect(lead.trail.at(-1)?.type, id).toBe(lead.lead.status);
    }
    expect([...ackedStatus.values()].filter((s) => s === 'sold').length).toBeGreaterThanOrEqual(40);

    expect((await h.call<{ rows: AuctionSummary[] }>('auctions.list', { status: 'open' })).rows).toEqual([]);
    // Auctions hanging at the stuck buyer's post had committed its `winner` event: a buyer may hold
    // those leads, so they are unconfirmed, never offered again.
    const unconfirmed = h.db().prepare("SELECT id, lead_id AS leadId, reason FROM auctions WHERE status = 'unconfirmed'").all() as Array<{ id: string; leadId: string; reason: string }>;
    expect(unconfirmed.length).toBeGreaterThanOrEqual(10);
    for (const a of unconfirmed) {
      expect(a.reason, a.id).toBe('INTERRUPTED_AFTER_POST');
      const lead = await h.call<LeadDetail>('leads.get', { id: a.leadId });
      expect(lead.lead.status, a.leadId).toBe('unconfirmed');
      expect(lead.lead.state).toBe('CA');
      const types = lead.trail.map((e) => e.type);
      expect(types[0]).toBe('received');
      expect(types).toContain('winner');
      expect(types.at(-1)).toBe('interrupted');
      expect(lead.trail.at(-1)?.data).toEqual({ auctionId: a.id, reason: 'INTERRUPTED_AFTER_POST', outcome: 'unconfirmed', buyerId: 'stuck' });
    }
    // No lead is left in limbo; one the kill caught before any post (even before its auction began) is
    // released: interrupted, with its duplicate fingerprints gone.
    const limbo = h.db().prepare("SELECT COUNT(*) AS n FROM leads WHERE status IN ('received', 'auctioning')").get();
    expect(limbo).toEqual({ n: 0 });
    const closedLeads = h.db().prepare("SELECT id FROM leads WHERE status IN ('interrupted', 'unconfirmed')").all() as Array<{ id: string }>;
    expect(closedLeads.length).toBeGreaterThanOrEqual(unconfirmed.length);
    for (const { id } of closedLeads) {
      expect(ackedStatus.has(id), id).toBe(false);
      const trail = (await h.call<LeadDetail>('leads.get', { id })).trail;
      expect(trail.filter((e) => e.type === 'interrupted'), id).toHaveLength(1);
      const released = trail.at(-1)?.data.outcome === 'released';
      expect(trail.at(-1)?.data.reason, id).toBe(released ? 'INTERRUPTED' : 'INTERRUPTED_AFTER_POST');
      if (released) {
        expect(trail.some((e) => e.type === 'winner'), id).toBe(false);
        expect(h.db().prepare('SELECT COUNT(*) AS n FROM fingerprints WHERE lead_id = ?').get(id), id).toEqual({ n: 0 });
      }
    }
    expect(await h.call('audit.verify', {})).toMatchObject({ ok: true });
  });
});
