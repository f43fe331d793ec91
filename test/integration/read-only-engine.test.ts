import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { consoleMethods, type MethodName } from '../../src/shared/console-api.js';
import type { Workspace } from '../../src/shared/domain.js';
import { startBuyer, type TestBuyer } from '../support/buyer-server.js';
import { autoCampaign, buyerFor, leadBody, makeDataDir, startTestEngine, workspaceOf } from './fixtures/engine-harness.js';

/**
 * Read-only is the engine's promise, not the console's: a reviewer's engine refuses every command
 * of the contract itself, sends nothing to any buyer and changes nothing on disk, and it runs from
 * read-only media (`serve --read-only`, `audit verify`).
 */

const ROOT = path.resolve(import.meta.dirname, '..', '..');
const CLI = path.join(ROOT, 'src/cli/index.ts');

let buyer: TestBuyer;
let original: string;
let leadId: string;
let phone: string;
const cleanup: string[] = [];

/** Every file under a folder with its bytes' digest, to prove nothing was written. */
function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of fs.readdirSync(dir, { recursive: true }) as string[]) {
    const full = path.join(dir, name);
    if (fs.statSync(full).isFile()) out[name] = createHash('sha256').update(fs.readFileSync(full)).digest('hex');
  }
  return out;
}

function copyOf(dir: string): string {
  const copy = makeDataDir('pingdesk-review-');
  cleanup.push(copy);
  fs.cpSync(dir, copy, { recursive: true });
  return copy;
}

beforeAll(async () => {
  buyer = await startBuyer({ bid: 30 });
  original = makeDataDir('pingdesk-ro-src-');
  cleanup.push(original);
  const h = await startTestEngine({ dir: original, workspace: workspaceOf(autoCampaign([{ name: 'Tier 1', floor: 5, buyers: ['acme'] }]), [buyerFor(buyer, 'acme', { apiKey: 'buy_acme_key_1' })]) });
  const body = leadBody();
  phone = body.fields.phone;
  const sold = await h.sendLead(body);
  expect(sold.body.status).toBe('sold');
  leadId = sold.body.lead_id;
  await h.call('suppression.add', { values: ['+15127770003'] });
  await h.close();
});

afterAll(async () => {
  await buyer.close();
  for (const d of cleanup) fs.rmSync(d, { recursive: true, force: true });
});

describe('a read-only engine', () => {
  it('refuses every command of the contract with read_only, sends nothing to buyers and changes nothing', async () => {
    const copy = copyOf(original);
    const before = snapshot(copy);
    const ro = await startTestEngine({ dir: copy, readOnly: true });
    try {
      const exported = await ro.call<Workspace>('workspace.export');
      const keyId = (await ro.call<Array<{ keys: Array<{ id: string }> }>>('buyers.list'))[0].keys[0].id;
      const hash = (await ro.call<{ rows: Array<{ hash: string }> }>('suppression.list', {})).rows[0].hash;
      // Valid arguments for each command, so a refusal can only come from read-only mode.
      const commands: Partial<Record<MethodName, unknown>> = {
        'leads.erase': { id: leadId },
        'leads.settle': { leadId, outcome: 'released' },
        'returns.decide': { leadIds: [leadId], decision: 'approved' },
        'returns.request': { leadId },
        'ledger.adjust': { partyKind: 'buyer', partyId: 'acme', amount: 1, note: 'read-only' },
        'campaigns.save': { campaign: autoCampaign([], { id: 'home', name: 'Home' }) },
        'campaigns.delete': { id: 'auto-insurance' },
        'tiers.set': { campaignId: 'auto-insurance', tiers: [{ name: 'T', floor: 1, buyers: ['acme'] }] },
        'tiers.setFloor': { campaignId: 'auto-insurance', tierIndex: 0, floor: 9 },
        'tiers.setDynamicFloor': { campaignId: 'auto-insurance', tierIndex: 0, dynamicFloor: null },
        'sources.save': { source: { id: 'pub-9', name: 'New', campaigns: ['auto-insurance'] } },
        'sources.delete': { id: 'pub-1' },
        'sources.createKey': { sourceId: 'pub-1' },
        'sources.revokeKey': { keyId },
        'buyers.save': { buyer: { id: 'extra', name: 'Extra', post: { url: buyer.postUrl }, fixedPrice: 12 } },
        'buyers.delete': { id: 'acme' },
        'buyers.setPaused': { id: 'acme', paused: true },
        'buyers.setCaps': { id: 'acme', caps: { hourly: 1 } },
        'buyers.createKey': { buyerId: 'acme' },
        'buyers.revokeKey': { keyId },
        'buyers.testPing': { id: 'acme', campaignId: 'auto-insurance' },
        'suppression.add': { values: ['+15127770009'] },
        'suppression.remove': { kind: 'phone', hash },
        'suppression.revoke': { phone },
        'suppression.importCsv': { csv: '5127770010\n' },
        'workspace.import': { workspace: exported },
        'ab.start': { campaignId: 'auto-insurance', name: 'read-only test' },
        'ab.stop': { campaignId: 'auto-insurance' },
        'ab.promote': { campaignId: 'auto-insurance', variant: 'B' },
        'placement.apply': { campaignId: 'auto-insurance', buyerId: 'acme' },
        'whatif.apply': { campaignId: 'auto-insurance', changes: [{ kind: 'tierFloor', campaignId: 'auto-insurance', tierIndex: 0, floor: 9 }], from: 0, to: Date.now() },
      };
      const mutating = (Object.keys(consoleMethods) as MethodName[]).filter((m) => consoleMethods[m].mutates);
      expect(Object.keys(commands).sort()).toEqual([...mutating].sort());
      expect(consoleMethods['buyers.testPing'].mutates).toBe(true);

      const requestsBefore = buyer.requests.length;
      for (const method of mutating) {
        const reply = await ro.callReply(method, commands[method], 'console:reviewer');
        expect(reply, method).toMatchObject({ ok: false, error: { code: 'read_only' } });
      }
      expect(buyer.requests.length).toBe(requestsBefore);
      // The queries still answer, the lead is intact, and intake is not listening.
      expect(ro.engine.intakeUrl).toBeNull();
      expect(await ro.call('leads.get', { id: leadId })).toMatchObject({ lead: { phone: expect.any(String), erased: false } });
      expect(await ro.call('audit.verify', {})).toMatchObject({ ok: true });
      expect((await ro.call<{ path: string }>('export.csv', { kind: 'leads' })).path.startsWith(copy)).toBe(false);
    } finally {
      await ro.close();
    }
    // Every file is as it was. A read-only SQLite connection on a writable folder leaves its WAL index
    // (-shm) and an empty -wal behind; neither holds data.
    const after = snapshot(copy);
    for (const [name, digest] of Object.entries(before)) expect(after[name], name).toBe(digest);
    expect(Object.keys(after).filter((n) => !(n in before)).every((n) => n === 'pingdesk.db-shm' || n === 'pingdesk.db-wal')).toBe(true);
    if (after['pingdesk.db-wal']) expect(fs.statSync(path.join(copy, 'pingdesk.db-wal')).size).toBe(0);
  });
});

/** A read-only view of `src` at a new path: a read-only bind mount as root, `chmod -R a-w` otherwise. */
function readOnlyMedia(src: string): { dir: string; release: () => void; how: string } | null {
  const isRoot = process.getuid?.() === 0;
  if (isRoot) {
    const mnt = fs.mkdtempSync(path.join(os.tmpdir(), 'pingdesk-ro-mnt-'));
    const bind = spawnSync('mount', ['--bind', src, mnt]);
    if (bind.status !== 0) {
      fs.rmSync(mnt, { recursive: true, force: true });
      return null;
    }
    const ro = spawnSync('mount', ['-o', 'remount,bind,ro', mnt]);
    if (ro.status !== 0) {
      spawnSync('umount', [mnt]);
      fs.rmSync(mnt, { recursive: true, force: true });
      return null;
    }
    return {
      dir: mnt,
      how: 'read-only bind mount',
      release: () => {
        spawnSync('umount', [mnt]);
        fs.rmSync(mnt, { recursive: true, force: true });
      },
    };
  }
  spawnSync('chmod', ['-R', 'a-w', src]);
  return { dir: src, how: 'chmod -R a-w', release: () => spawnSync('chmod', ['-R', 'u+w', src]) };
}

function waitForLine(child: ChildProcess, pattern: RegExp, timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    let seen = '';
    const timer = setTimeout(() => reject(new Error(`no ${pattern} within ${timeoutMs} ms; output: ${seen}`)), timeoutMs);
    const onData = (b: Buffer) => {
      seen += b.toString();
      const m = pattern.exec(seen);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', (b: Buffer) => (seen += b.toString()));
    child.once('exit', (code) => reject(new Error(`exited ${code}: ${seen}`)));
  });
}

describe('read-only media', () => {
  it('serve --read-only and audit verify work on a data folder nothing can be written to', async () => {
    const copy = copyOf(original);
    const media = readOnlyMedia(copy);
    if (!media) {
      console.warn('skipped: cannot make read-only media here (no bind mount as root, no chmod)');
      return;
    }
    try {
      // Writing there really fails.
      expect(() => fs.writeFileSync(path.join(media.dir, 'probe'), 'x')).toThrow();
      const before = snapshot(media.dir);

      const verify = spawnSync(process.execPath, ['--import', 'tsx', CLI, 'audit', 'verify', '--data-dir', media.dir], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });
      expect(verify.stderr).toBe('');
      expect(verify.status, `${media.how}: ${verify.stdout}`).toBe(0);
      expect(verify.stdout).toMatch(/audit trail intact: \d+ events/);

      const child = spawn(process.execPath, ['--import', 'tsx', CLI, 'serve', '--read-only', '--data-dir', media.dir, '--console-port', '0', '--intake-port', '0'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
      try {
        const url = new URL(await waitForLine(child, /Console: (\S+)/, 60_000));
        const call = async (method: string, args: unknown) => {
          const res = await fetch(`${url.origin}/api/call/${method}`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-pingdesk-token': url.searchParams.get('token') ?? '' }, body: JSON.stringify(args) });
          return (await res.json()) as { ok: boolean; value?: Record<string, unknown>; error?: { code: string } };
        };
        expect(await call('session.info', {})).toMatchObject({ ok: true, value: { readOnly: true, intakeUrl: null } });
        expect(await call('leads.get', { id: leadId })).toMatchObject({ ok: true });
        expect(await call('audit.verify', {})).toMatchObject({ ok: true, value: { ok: true } });
        expect(await call('export.csv', { kind: 'audit' })).toMatchObject({ ok: true, value: { kind: 'audit' } });
        expect(await call('buyers.testPing', { id: 'acme', campaignId: 'auto-insurance' })).toMatchObject({ ok: false, error: { code: 'read_only' } });
      } finally {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        await exited;
      }
      expect(snapshot(media.dir)).toEqual(before);
      // No temporary copy of the database is left behind.
      expect(fs.readdirSync(os.tmpdir()).filter((n) => n.startsWith('pingdesk-readonly-'))).toEqual([]);
    } finally {
      media.release();
    }
  }, 120_000);
});
