import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Store } from '../../src/engine/store/index.js';
import { autoCampaign, buyerFor, leadBody, useTestRig, workspaceOf, type TestEngine } from './fixtures/engine-harness.js';

/**
 * A data folder on a 4 MiB tmpfs, filled for real until SQLite and the log file get ENOSPC, then
 * freed. Needs root (mount); skipped with a message otherwise, where engine-storage-faults.test.ts
 * and store-storage-faults.test.ts still cause the same faults without it.
 */
const rig = useTestRig();
const isRoot = process.getuid?.() === 0;
let mountPoint: string | null = null;
let mountError: string | null = isRoot ? null : 'not running as root';

beforeAll(() => {
  if (!isRoot) return;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pingdesk-tmpfs-'));
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=4m,mode=0700', 'tmpfs', dir], { stdio: 'pipe' });
    mountPoint = dir;
  } catch (err) {
    mountError = `mount failed: ${(err as Error).message}`;
    fs.rmdirSync(dir);
  }
});

afterAll(() => {
  if (!mountPoint) return;
  try {
    execFileSync('umount', [mountPoint], { stdio: 'pipe' });
  } catch {
    // Something still holds a file there: detach it now, the kernel frees it when the last fd goes.
    execFileSync('umount', ['-l', mountPoint], { stdio: 'pipe' });
  }
  fs.rmdirSync(mountPoint);
});

/** Writes zeros until the file system refuses; returns the filler's path. */
function fillDisk(dir: string, name: string): string {
  const filler = path.join(dir, name);
  const fd = fs.openSync(filler, 'w');
  const chunk = Buffer.alloc(16 * 1024);
  try {
    for (;;) fs.writeSync(fd, chunk);
  } catch (err) {
    if ((err as { code?: string }).code !== 'ENOSPC') throw err;
  } finally {
    fs.closeSync(fd);
  }
  return filler;
}

async function timed<T>(fn: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const started = Date.now();
  const value = await fn();
  return { ms: Date.now() - started, value };
}

async function until(cond: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('a full disk under a running engine', () => {
  it('refuses new leads with 503, keeps healthz and the event loop responsive, loses no acknowledged lead and resumes by itself when space returns', async (ctx) => {
    if (!mountPoint) {
      console.warn(`skipped the tmpfs disk-full test: ${mountError}`);
      ctx.skip();
      return;
    }
    const dataDir = path.join(mountPoint, 'data');
    const buyer = await rig.buyer({ bid: 30 });
    const workspace = workspaceOf(autoCampaign([{ name: 'Tier 1', floor: 5, buyers: ['acme'] }]), [buyerFor(buyer, 'acme')]);
    // The engine's own file logger (no test logger): it must survive ENOSPC too.
    const engine: TestEngine = await rig.engine({ dir: dataDir, workspace, logger: undefined });
    const acknowledged = new Map<string, string>();
    const send = async (): Promise<{ status: number; body: { lead_id?: string; status?: string; error?: string; message?: string } }> => {
      const r = await engine.sendLead(leadBody());
      if (r.status === 200) acknowledged.set(r.body.lead_id, r.body.status);
      return r;
    };

    for (let i = 0; i < 10; i++) expect((await send()).status).toBe(200);

    const filler = fillDisk(mountPoint, 'filler-1.bin');
    // Keep selling until the disk refuses a write: the WAL may still have room for a few batches.
    const filledAt = Date.now();
    let refusal: Awaited<ReturnType<typeof send>> | null = null;
    for (let i = 0; i < 2000 && !refusal; i++) {
      const r = await send();
      expect([200, 503]).toContain(r.status);
      if (r.status === 503) refusal = r;
    }
    expect(refusal).not.toBeNull();
    expect(refusal?.body.error).toBe('storage_unavailable');
    expect(Date.now() - filledAt).toBeLessThan(30_000);

    // Healthz answers at once with the reason; so does intake, refusing.
    const health = await timed(() => engine.get('/healthz'));
    expect(health.ms).toBeLessThan(1000);
    expect(health.value.status).toBe(503);
    expect(health.value.body.status).toBe('storage_unavailable');
    expect(health.value.body.reason).toMatch(/^SQLITE_(FULL|IOERR)/);
    const next = await timed(() => send());
    expect(next.value.status).toBe(503);
    expect(next.ms).toBeLessThan(1000);

    // A burst of log lines on the full disk neither blocks the loop nor throws. (What SQLite gave back
    // when its write failed is taken first, so the log file meets ENOSPC too.)
    const topUp = fillDisk(mountPoint, 'filler-2.bin');
    const loopStarted = Date.now();
    const tick = new Promise<number>((resolve) => setTimeout(() => resolve(Date.now() - loopStarted), 0));
    for (let i = 0; i < 5000; i++) engine.engine.logger.error({ i, pad: 'x'.repeat(200) }, 'log line while the disk is full');
    const during = await timed(() => engine.get('/healthz'));
    // The disk stays full a little longer: the burst's writes are still on their way to the file.
    await new Promise((r) => setTimeout(r, 500));
    expect(during.ms).toBeLessThan(1000);
    expect(await tick).toBeLessThan(1000);

    // Every lead answered 200 is in the database already.
    const db = engine.db();
    for (const [id, status] of acknowledged) {
      expect((db.prepare('SELECT status FROM leads WHERE id = ?').get(id) as { status: string } | undefined)?.status).toBe(status);
    }

    // Space returns: the engine resumes by itself.
    fs.rmSync(filler);
    fs.rmSync(topUp);
    await until(async () => (await engine.get('/healthz')).status === 200, 10_000);
    const after = await send();
    expect(after.status).toBe(200);
    expect(after.body.status).toBe('sold');

    await rig.closeEngines();
    const store = Store.open({ dataDir });
    try {
      expect(store.verifyAudit()).toMatchObject({ ok: true });
      for (const [id, status] of acknowledged) {
        expect(store.getLead(id)?.status).toBe(status);
        expect(store.auditForLead(id).map((e) => e.type)).toContain(status);
      }
    } finally {
      store.close();
    }
    // The log file says how many lines it dropped while the disk was full.
    const log = fs.readFileSync(path.join(dataDir, 'logs', 'pingdesk.log'), 'utf8');
    const dropped = log.split('\n').find((l) => l.includes('log lines dropped while the log file could not be written'));
    expect(dropped).toBeDefined();
    expect((JSON.parse(dropped ?? '{}') as { dropped: number }).dropped).toBeGreaterThan(0);
  }, 90_000);
});
