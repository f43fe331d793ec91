import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { databasePath } from '../../src/engine/store/open-database.js';
import { ConfigService } from '../../src/engine/config/config-service.js';
import { openDatabase } from '../../src/engine/store/open-database.js';
import { Store } from '../../src/engine/store/index.js';
import { auditRows, makeDataDir, startTestEngine } from './fixtures/engine-harness.js';
import { pingdesk } from './fixtures/serve-process.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const runner = path.join(here, 'fixtures', 'config-crash-runner.ts');

let dir: string;
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

function runToItsKill(dataDir: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', runner, dataDir], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('exit', (_code, signal) => (signal === 'SIGKILL' ? resolve() : reject(new Error(`runner exited on its own: ${stderr}`))));
  });
}

const parsed = (rows: ReturnType<typeof auditRows>): Array<Record<string, unknown>> => rows.map((r) => ({ actor: r.actor, ...(JSON.parse(r.data) as Record<string, unknown>) }));

describe('a direct change and its audit event across kill -9', () => {
  it('a change stored just before the kill gets its audit event at the next start, and the chain verifies', async () => {
    dir = makeDataDir('pingdesk-outbox-crash-');
    await runToItsKill(dir);

    // What the kill left: the changes are stored, their events are not in the trail, their copies are.
    const raw = new Database(databasePath(dir), { readonly: true });
    const buyer = JSON.parse((raw.prepare("SELECT json FROM buyers WHERE id = 'b1'").pluck().get() as string) ?? '{}') as { paused?: boolean };
    expect(buyer.paused).toBe(true);
    expect(raw.prepare('SELECT COUNT(*) FROM suppression').pluck().get()).toBe(2);
    expect(parsed(auditRows(raw, 'config')).filter((e) => e.action === 'pause')).toEqual([]);
    expect(auditRows(raw, 'suppression')).toEqual([]);
    expect(raw.prepare('SELECT COUNT(*) FROM audit_outbox').pluck().get()).toBe(3);
    raw.close();

    const h = await startTestEngine({ dir });
    await h.close();
    const db = new Database(databasePath(dir), { readonly: true });
    const pause = parsed(auditRows(db, 'config')).filter((e) => e.action === 'pause');
    expect(pause).toEqual([expect.objectContaining({ actor: 'operator@test', kind: 'buyer', id: 'b1', action: 'pause' })]);
    const suppression = parsed(auditRows(db, 'suppression'));
    expect(suppression).toEqual([
      expect.objectContaining({ actor: 'operator@test', action: 'add', added: 1, phones: 1 }),
      expect.objectContaining({ actor: 'operator@test', action: 'revocation', added: 1 }),
    ]);
    expect(db.prepare('SELECT COUNT(*) FROM audit_outbox').pluck().get()).toBe(0);
    db.close();
    const verified = pingdesk('audit', 'verify', '--data-dir', dir);
    expect(verified.code, verified.out).toBe(0);
  });
});

describe('the outbox at open', () => {
  it('drops a copy whose event reached the trail, without appending it twice', async () => {
    dir = makeDataDir('pingdesk-outbox-');
    const store = Store.open({ dataDir: dir, writerThread: false });
    store.writeAudited(() => ({ value: null, audit: { leadId: null, type: 'suppression', actor: 'test', data: { action: 'add', added: 0 } } }));
    await store.flush();
    const before = auditRows(new Database(databasePath(dir), { readonly: true }));
    store.close();
    // As if the kill came after the event's batch and before the copy's removal.
    const raw = new Database(databasePath(dir));
    const last = raw.prepare('SELECT seq, hash, actor, type, at, data FROM audit_events ORDER BY seq DESC LIMIT 1').get() as { seq: number; hash: string; actor: string; type: string; at: number; data: string };
    raw.prepare('INSERT INTO audit_outbox (seq, hash, event) VALUES (?, ?, ?)').run(last.seq, last.hash, JSON.stringify({ leadId: null, type: last.type, actor: last.actor, at: last.at, data: JSON.parse(last.data) }));
    raw.close();

    const reopened = Store.open({ dataDir: dir, writerThread: false });
    expect(reopened.recoverAuditOutbox()).toBe(0);
    reopened.close();
    const db = new Database(databasePath(dir), { readonly: true });
    expect(auditRows(db)).toEqual(before);
    expect(db.prepare('SELECT COUNT(*) FROM audit_outbox').pluck().get()).toBe(0);
    db.close();
  });

  it('a change whose write throws stores nothing, queues no event and leaves the chain where it was', async () => {
    dir = makeDataDir('pingdesk-outbox-');
    const store = Store.open({ dataDir: dir, writerThread: false });
    const head = store.appendAudit({ leadId: null, type: 'config', actor: 'test', data: { action: 'first' } });
    expect(() =>
      store.writeAudited(() => {
        store.writeMeta('half_done', 'yes');
        throw new Error('refused half way');
      }),
    ).toThrow('refused half way');
    const next = store.appendAudit({ leadId: null, type: 'config', actor: 'test', data: { action: 'next' } });
    expect(next.seq).toBe(head.seq + 1);
    expect(next.prevHash).toBe(head.hash);
    await store.flush();
    expect(store.readMeta('half_done')).toBeNull();
    store.close();
    const db = new Database(databasePath(dir), { readonly: true });
    expect(db.prepare('SELECT COUNT(*) FROM audit_outbox').pluck().get()).toBe(0);
    db.close();
  });

  it('a configuration change the locked file refuses changes nothing: not the workspace, not the trail, not the outbox', async () => {
    dir = makeDataDir('pingdesk-outbox-');
    const store = Store.open({ dataDir: dir });
    const changes: unknown[] = [];
    const config = new ConfigService(store, { now: Date.now, onChange: (c) => changes.push(c) });
    const buyer = { id: 'b1', name: 'Buyer b1', ping: { url: 'http://127.0.0.1:9/ping', timeoutMs: 1000 }, post: { url: 'http://127.0.0.1:9/post', timeoutMs: 1000 } };
    config.saveBuyer(buyer, 'operator@test');
    await store.flush();
    const before = { workspace: config.workspace, revision: config.runtime.revision, head: store.committedAuditHead() };

    // Another connection holds the write lock past the store's busy timeout: a fault of the file.
    const other = openDatabase({ dataDir: dir });
    other.exec('BEGIN IMMEDIATE');
    expect(() => config.setPaused('b1', true, 'operator@test')).toThrow(expect.objectContaining({ code: 'storage_unavailable' }));
    other.exec('COMMIT');
    expect(config.workspace).toBe(before.workspace);
    expect(config.runtime.revision).toBe(before.revision);
    expect(changes).toHaveLength(1);
    await store.flush();
    expect(store.committedAuditHead()).toEqual(before.head);
    expect(other.prepare('SELECT COUNT(*) FROM audit_outbox').pluck().get()).toBe(0);
    expect(JSON.parse(other.prepare("SELECT json FROM buyers WHERE id = 'b1'").pluck().get() as string)).not.toHaveProperty('paused');

    // Once the lock is gone the same change goes through, with its event.
    expect(config.setPaused('b1', true, 'operator@test').paused).toBe(true);
    await store.flush();
    const pause = parsed(auditRows(other, 'config')).filter((e) => e.action === 'pause');
    expect(pause).toEqual([expect.objectContaining({ actor: 'operator@test', id: 'b1' })]);
    expect(other.prepare('SELECT COUNT(*) FROM audit_outbox').pluck().get()).toBe(0);
    other.close();
    store.close();
  });
});
