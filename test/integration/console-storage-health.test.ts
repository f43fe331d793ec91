import fs from 'node:fs';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { startConsoleServer, type ConsoleServer } from '../../src/engine/console/http-transport.js';
import { databasePath } from '../../src/engine/store/open-database.js';
import type { Reply, SessionInfo, StorageHealth } from '../../src/shared/console-api.js';
import { autoCampaign, buyerFor, leadBody, makeDataDir, useTestRig, workspaceOf } from './fixtures/engine-harness.js';

/**
 * The storage's health reaches the console through the browser-mode transport (HTTP + SSE), with no
 * code of its own there: `session.info` carries it and `health.changed` events follow it. The fault is
 * real: a second connection holds the database's write lock.
 */
const rig = useTestRig();
let server: ConsoleServer | null = null;
const cleanups: Array<() => void> = [];
afterEach(async () => {
  await server?.close();
  server = null;
  while (cleanups.length) cleanups.pop()?.();
});

async function call<T>(s: ConsoleServer, method: string, args: unknown): Promise<Reply<T>> {
  const res = await fetch(`http://127.0.0.1:${s.port}/api/call/${method}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-pingdesk-token': s.token },
    body: JSON.stringify(args),
  });
  return (await res.json()) as Reply<T>;
}

function openEvents(s: ConsoleServer) {
  const controller = new AbortController();
  const health: StorageHealth[] = [];
  let text = '';
  const done = (async () => {
    const res = await fetch(`http://127.0.0.1:${s.port}/api/events?token=${s.token}`, { signal: controller.signal });
    const reader = res.body!.getReader();
    const decoder = new TextDecoder();
    for (;;) {
      const chunk = await reader.read();
      if (chunk.done) return;
      text += decoder.decode(chunk.value, { stream: true });
      for (const m of text.matchAll(/event: health\.changed\ndata: (.*)\n\n/g)) health.push(JSON.parse(m[1]) as StorageHealth);
      text = text.replace(/event: health\.changed\ndata: .*\n\n/g, '');
    }
  })().catch(() => undefined);
  return { health, connected: () => text.includes(': connected') || health.length > 0, close: () => controller.abort(), done };
}

describe('storage health in the console', () => {
  it('reaches the browser console over HTTP and SSE when the storage fails and when it returns', async () => {
    const buyer = await rig.buyer({ bid: 30 });
    const dir = makeDataDir();
    cleanups.push(() => fs.rmSync(dir, { recursive: true, force: true }));
    const engine = await rig.engine({ dir, workspace: workspaceOf(autoCampaign([{ name: 'Tier 1', floor: 5, buyers: ['acme'] }]), [buyerFor(buyer, 'acme')]) });
    server = await startConsoleServer({ host: engine.engine.consoleHost, port: 0 });
    const events = openEvents(server);
    cleanups.push(() => events.close());
    await expect.poll(events.connected).toBe(true);

    const healthy = await call<SessionInfo>(server, 'session.info', {});
    expect(healthy).toMatchObject({ ok: true, value: { health: { status: 'ok', reason: null } } });

    const locker = new Database(databasePath(dir));
    cleanups.push(() => locker.open && locker.close());
    locker.exec('BEGIN IMMEDIATE');
    expect((await engine.sendLead(leadBody())).status).toBe(503);

    await expect.poll(() => events.health.length, { timeout: 5000 }).toBe(1);
    expect(events.health[0]).toMatchObject({ status: 'storage_unavailable' });
    expect(events.health[0].reason).toMatch(/^SQLITE_BUSY/);
    expect(events.health[0].since).toEqual(expect.any(Number));
    const unavailable = await call<SessionInfo>(server, 'session.info', {});
    expect(unavailable.ok && unavailable.value.health?.status).toBe('storage_unavailable');
    // A configuration edit from the console is refused with a code the console can show.
    const edit = await call(server, 'buyers.setPaused', { id: 'acme', paused: true });
    expect(edit).toMatchObject({ ok: false, error: { code: 'storage_unavailable' } });
    expect(edit.ok ? '' : edit.error.message).toMatch(/Storage is unavailable \(SQLITE_BUSY/);

    locker.exec('ROLLBACK');
    await expect.poll(() => events.health.length, { timeout: 5000 }).toBe(2);
    expect(events.health[1]).toEqual({ status: 'ok', reason: null, since: null, retainedWrites: 0 });
    const again = await call<SessionInfo>(server, 'session.info', {});
    expect(again.ok && again.value.health?.status).toBe('ok');
    expect(await call(server, 'buyers.setPaused', { id: 'acme', paused: true })).toMatchObject({ ok: true });
  });
});
