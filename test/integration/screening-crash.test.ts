import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import type { LeadDetail } from '../../src/shared/console-api.js';
import { runUntilKilled } from './fixtures/child-process.js';
import { makeDataDir, startTestEngine, type TestEngine } from './fixtures/engine-harness.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const runner = path.join(here, 'fixtures', 'screening-crash-runner.ts');

let dir: string;
let harness: TestEngine | null = null;
afterEach(async () => {
  await harness?.close();
  harness = null;
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('a kill during screening', () => {
  it('leaves the stored lead interrupted with no buyer reached, and the retry is auctioned, not a duplicate', async () => {
    dir = makeDataDir('pingdesk-screen-crash-');
    const lines = await runUntilKilled(runner, [dir], (seen) => seen.some((l) => l.startsWith('screening ')));
    const leadId = lines.find((l) => l.startsWith('screening '))?.slice('screening '.length) ?? '';
    const body = JSON.parse(lines.find((l) => l.startsWith('lead '))?.slice('lead '.length) ?? '{}') as unknown;
    expect(leadId).toMatch(/^L/);
    expect(lines.filter((l) => l.startsWith('buyer ') || l === 'answered')).toEqual([]);

    harness = await startTestEngine({ dir });
    const d = await harness.call<LeadDetail>('leads.get', { id: leadId });
    expect(d.lead.status).toBe('interrupted');
    expect(d.trail.map((e) => e.type)).toEqual(['received', 'validated', 'interrupted']);
    expect(d.screening).toEqual([]);

    // The vendor died with the child: the retry's check is a CONNECTION_ERROR, which `onError` (default
    // flag) lets through; the lead is auctioned (the buyer is gone too, so unsold), not refused 409 duplicate.
    const retry = await harness.sendLead(body);
    expect(retry.status).toBe(200);
    const again = await harness.call<LeadDetail>('leads.get', { id: retry.body.lead_id as string });
    expect(again.screening?.map((s) => [s.vendor, s.outcome, s.code, s.verdict])).toEqual([['trustedform', 'ERROR', 'CONNECTION_ERROR', 'flag']]);
  });
});
