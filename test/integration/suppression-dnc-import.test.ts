import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databasePath } from '../../src/engine/store/open-database.js';
import { Store } from '../../src/engine/store/index.js';
import { dncLineToE164, looksLikeDnc } from '../../src/engine/store/suppression-dnc.js';
import { startBuyer, type TestBuyer } from '../support/buyer-server.js';
import { autoCampaign, buyerFor, leadBody, makeDataDir, startTestEngine, workspaceOf } from './fixtures/engine-harness.js';

/**
 * Do-not-call registry files through the real command line: one ten-digit number a line (or
 * `NPA,NXX-XXXX`), imported in bounded memory with progress, then refused by intake.
 */

const ROOT = path.resolve(import.meta.dirname, '..', '..');
const LINES = 200_000;
/** The CLI's whole process (Node, tsx, SQLite cache) stays under this, however long the file. */
const PEAK_RSS_LIMIT_MIB = 400;

let dir: string;
let work: string;
let buyer: TestBuyer;

/** The i-th number of the generated file, as ten digits. */
function numberAt(i: number): string {
  const npa = [512, 737, 214][i % 3];
  const nxx = 200 + Math.floor(i / 3 / 10_000);
  return `${npa}${nxx}${String(Math.floor(i / 3) % 10_000).padStart(4, '0')}`;
}

beforeAll(async () => {
  buyer = await startBuyer({ bid: 30 });
  work = makeDataDir('pingdesk-dnc-');
  dir = path.join(work, 'data');
  const h = await startTestEngine({ dir, workspace: workspaceOf(autoCampaign([{ name: 'Tier 1', floor: 5, buyers: ['acme'] }]), [buyerFor(buyer, 'acme')]) });
  await h.close();
});

afterAll(async () => {
  await buyer.close();
  fs.rmSync(work, { recursive: true, force: true });
});

describe('DNC line format', () => {
  it('reads ten digits, NPA,NXXXXXX and NPA,NXX-XXXX as E.164, and refuses what is not a NANP number', () => {
    expect(dncLineToE164('5125550142')).toBe('+15125550142');
    expect(dncLineToE164('512,5550142')).toBe('+15125550142');
    expect(dncLineToE164('512,555-0142')).toBe('+15125550142');
    expect(dncLineToE164('15125550142')).toBe('+15125550142');
    expect(dncLineToE164('(512) 555-0142')).toBe('+15125550142');
    expect(dncLineToE164('5125550142,2026-11-01,A')).toBe('+15125550142');
    for (const bad of ['1125550142', '5121550142', '512555014', '51255501423', 'phone', '512,55501', 'ana@example.com', '5125550142x']) expect(dncLineToE164(bad), bad).toBeNull();
  });

  it('takes the DNC path only when the first lines are all numbers', () => {
    expect(looksLikeDnc('5125550142\n512,555-0143\n')).toBe(true);
    expect(looksLikeDnc('phone\n5125550142\n')).toBe(false);
    expect(looksLikeDnc('5125550142\nana@example.com\n')).toBe(false);
    expect(looksLikeDnc('')).toBe(false);
  });
});

describe('pingdesk suppress import with a DNC file', () => {
  it(`imports ${LINES.toLocaleString('en-US')} lines in bounded memory with progress, and intake then refuses those numbers`, async () => {
    const file = path.join(work, 'dnc-512.txt');
    const out: string[] = [];
    for (let i = 0; i < LINES; i++) {
      const n = numberAt(i);
      out.push(i % 7 === 0 ? `${n.slice(0, 3)},${n.slice(3, 6)}-${n.slice(6)}` : n);
    }
    // Two bad lines, a blank one and a last line without its newline.
    out.splice(150_000, 0, '0005550142', '', 'garbage');
    fs.writeFileSync(file, out.join('\n'));

    const r = spawnSync('/usr/bin/time', ['-v', process.execPath, '--import', 'tsx', path.join(ROOT, 'src/cli/index.ts'), 'suppress', 'import', '--data-dir', dir, file], {
      cwd: ROOT,
      encoding: 'utf8',
      timeout: 240_000,
    });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain(`DNC list: added ${LINES}, already present 0, refused 2`);
    expect(r.stdout).toMatch(/line 150001: "0005550142" invalid_phone/);
    expect(r.stderr).toMatch(/lines read \(100%\)/);
    const peakMiB = Number(/Maximum resident set size \(kbytes\): (\d+)/.exec(r.stderr)?.[1]) / 1024;
    expect(peakMiB).toBeGreaterThan(0);
    expect(peakMiB).toBeLessThan(PEAK_RSS_LIMIT_MIB);

    const db = new Database(databasePath(dir), { readonly: true });
    expect(db.prepare('SELECT COUNT(*) FROM suppression_numbers').pluck().get()).toBe(LINES);
    expect(db.prepare('SELECT source, numbers FROM suppression_lists').all()).toEqual([{ source: 'cli', numbers: LINES }]);
    // The file's numbers are not in the database in any form.
    expect(db.prepare("SELECT COUNT(*) FROM audit_events WHERE data LIKE '%512200%'").pluck().get()).toBe(0);
    db.close();

    // Importing the same file again adds nothing.
    const again = spawnSync(process.execPath, ['--import', 'tsx', path.join(ROOT, 'src/cli/index.ts'), 'suppress', 'import', '--quiet', '--data-dir', dir, file], { cwd: ROOT, encoding: 'utf8', timeout: 240_000 });
    expect(again.stdout).toContain(`added 0, already present ${LINES}`);

    const h = await startTestEngine({ dir });
    try {
      for (const i of [0, 7, 1234, LINES - 1]) {
        const n = numberAt(i);
        const refused = await h.sendLead(leadBody({ fields: { phone: `(${n.slice(0, 3)}) ${n.slice(3, 6)}-${n.slice(6)}` } }));
        expect(refused.status, n).toBe(409);
        expect(refused.body.error).toBe('suppressed');
      }
      expect(buyer.requests).toHaveLength(0);
      // A number the file does not hold is sold as usual.
      const sold = await h.sendLead(leadBody({ fields: { phone: '+15129990142' } }));
      expect(sold.body.status).toBe('sold');
      // An operator finds a listed number by searching it, with the list it came from, and can lift it.
      const found = await h.call<{ rows: Array<{ kind: string; hash: string; source: string; hint: string }>; total: number }>('suppression.list', { query: numberAt(1234) });
      expect(found).toMatchObject({ total: 1, rows: [{ kind: 'phone', source: 'cli', hint: numberAt(1234).slice(-4) }], listedNumbers: LINES });
      expect(await h.call('suppression.remove', { kind: 'phone', hash: found.rows[0].hash })).toEqual({ removed: true });
      expect(await h.call('suppression.list', {})).toMatchObject({ listedNumbers: LINES - 1 });
      expect((await h.sendLead(leadBody({ fields: { phone: numberAt(1234) } }))).body.status).toBe('sold');
    } finally {
      await h.close();
    }
  }, 300_000);

  it('an import killed halfway keeps its committed batches, and running it again completes the list', async () => {
    const fresh = path.join(work, 'killed');
    const s = Store.open({ dataDir: fresh });
    s.close();
    const file = path.join(work, 'dnc-killed.txt');
    fs.writeFileSync(file, `${Array.from({ length: LINES }, (_, i) => `972${200 + Math.floor(i / 10_000)}${String(i % 10_000).padStart(4, '0')}`).join('\n')}\n`);
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'src/cli/index.ts'), 'suppress', 'import', '--batch', '10000', '--data-dir', fresh, file], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    await new Promise<void>((resolve, reject) => {
      child.stderr.on('data', (c: Buffer) => {
        stderr += c.toString();
        if (/lines read/.test(stderr) && !child.killed) child.kill('SIGKILL');
      });
      child.on('exit', (_code, signal) => (signal === 'SIGKILL' ? resolve() : reject(new Error(`import ended before the kill: ${stderr}`))));
    });
    const db = new Database(databasePath(fresh), { readonly: true });
    const kept = db.prepare('SELECT COUNT(*) FROM suppression_numbers').pluck().get() as number;
    db.close();
    expect(kept).toBeGreaterThan(0);
    expect(kept).toBeLessThan(LINES);
    expect(kept % 10_000).toBe(0);

    const again = spawnSync(process.execPath, ['--import', 'tsx', path.join(ROOT, 'src/cli/index.ts'), 'suppress', 'import', '--quiet', '--data-dir', fresh, file], { cwd: ROOT, encoding: 'utf8', timeout: 240_000 });
    expect(again.stdout).toContain(`added ${LINES - kept}, already present ${kept}, refused 0`);
    const after = Store.open({ dataDir: fresh });
    try {
      expect(after.listSuppressions({ limit: 1 }).listedNumbers).toBe(LINES);
      expect(after.isSuppressed({ phoneHash: after.hashContact('+19722000000') })).toBe(true);
      expect(after.isSuppressed({ phoneHash: after.hashContact(`+1972${200 + Math.floor((LINES - 1) / 10_000)}${String((LINES - 1) % 10_000).padStart(4, '0')}`) })).toBe(true);
    } finally {
      after.close();
    }
  }, 300_000);

  it('a litigator list as CSV keeps only its phone and email columns', async () => {
    const file = path.join(work, 'litigators.csv');
    fs.writeFileSync(file, ['First Name,Last Name,Phone Number,Email,State,Case', 'Jane,Plaintiffson,(512) 240-1111,jane@lawsuits.example,TX,A-1', 'John,Suer,737-240-2222,,TX,B-2', ''].join('\n'));
    const store = Store.open({ dataDir: dir });
    try {
      const r = await store.importSuppressionCsv(file, { now: Date.now(), source: 'litigators.csv' });
      expect(r).toMatchObject({ added: 3, refusedCount: 0, format: 'csv' });
      expect(store.isSuppressed({ phoneHash: store.hashContact('+15122401111') })).toBe(true);
      expect(store.isSuppressed({ emailHash: store.hashContact('jane@lawsuits.example') })).toBe(true);
    } finally {
      store.close();
    }
    const raw = fs.readFileSync(databasePath(dir));
    expect(raw.includes('Plaintiffson')).toBe(false);
  });

  it('the console imports a DNC list from text with progress events', async () => {
    const h = await startTestEngine({ dir });
    try {
      const progress: number[] = [];
      h.engine.consoleHost.subscribe((name, payload) => {
        if (name === 'job.progress') progress.push((payload as { done: number }).done);
      });
      const text = Array.from({ length: 12_000 }, (_, i) => `214${300 + Math.floor(i / 10_000)}${String(i % 10_000).padStart(4, '0')}`).join('\n');
      const r = await h.call<{ added: number; duplicates: number }>('suppression.importCsv', { csv: text, jobId: 'dnc-1' });
      expect(r).toMatchObject({ added: 12_000, duplicates: 0 });
      expect(progress.length).toBeGreaterThan(1);
      expect(progress[progress.length - 1]).toBe(12_000);
      expect((await h.sendLead(leadBody({ fields: { phone: '+12143000005' } }))).body.error).toBe('suppressed');
    } finally {
      await h.close();
    }
  });
});
