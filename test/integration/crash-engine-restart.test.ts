import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import type { AuctionSummary, LeadDetail } from '../../src/shared/console-api.js';
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
function runAndKill(dataDir: string, want: { acks: number; open: number }): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', runner, dataDir], { stdio: ['ignore', 'pipe', 'pipe'] });
    const acked: string[] = [];
    let open = 0;
    let buffered = '';
    let stderr = '';
    let killed = false;
    const take = (lines: string[]) => {
      for (const line of lines) {
        const [kind, value] = line.split(' ');
        if (kind === 'ack') acked.push(value);
        else if (kind === 'open') open = Number(value);
      }
    };
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      buffered += chunk;
      const lines = buffered.split('\n');
      buffered = lines.pop() ?? '';
      take(lines);
      if (!killed && acked.length >= want.acks && open >= want.open) {
        killed = true;
        child.kill('SIGKILL');
      }
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.on('error', reject);
    child.on('exit', (_code, signal) => {
      if (signal !== 'SIGKILL') return reject(new Error(`engine exited on its own: ${stderr}`));
      // Lines already in the pipe when the kill landed were acknowledged too.
      take(buffered.split('\n').filter(Boolean));
      resolve(acked);
    });
  });
}

describe('engine crash and restart', () => {
  it('keeps every acknowledged lead after a SIGKILL and closes the interrupted auctions on restart', async () => {
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
    const interrupted = (await h.call<{ rows: AuctionSummary[] }>('auctions.list', { status: 'interrupted', limit: 1000 })).rows;
    expect(interrupted.length).toBeGreaterThanOrEqual(10);
    for (const a of interrupted) {
      expect(a.reason, a.id).toBe('INTERRUPTED');
      const lead = await h.call<LeadDetail>('leads.get', { id: a.leadId });
      expect(lead.lead.status, a.leadId).toBe('interrupted');
      expect(lead.lead.state).toBe('CA');
      const types = lead.trail.map((e) => e.type);
      expect(types[0]).toBe('received');
      expect(types.at(-1)).toBe('interrupted');
      expect(lead.trail.at(-1)?.data).toEqual({ auctionId: a.id, reason: 'INTERRUPTED' });
    }
    // No lead is left in limbo; one killed before its auction began is closed too, with no auction to name.
    const limbo = h.db().prepare("SELECT COUNT(*) AS n FROM leads WHERE status IN ('received', 'auctioning')").get();
    expect(limbo).toEqual({ n: 0 });
    const closedLeads = h.db().prepare("SELECT id FROM leads WHERE status = 'interrupted'").all() as Array<{ id: string }>;
    expect(closedLeads.length).toBeGreaterThanOrEqual(interrupted.length);
    for (const { id } of closedLeads) {
      expect(ackedStatus.has(id), id).toBe(false);
      const trail = (await h.call<LeadDetail>('leads.get', { id })).trail;
      expect(trail.filter((e) => e.type === 'interrupted'), id).toHaveLength(1);
      expect(trail.at(-1)?.data.reason, id).toBe('INTERRUPTED');
    }
    expect(await h.call('audit.verify', {})).toMatchObject({ ok: true });
  });
});
