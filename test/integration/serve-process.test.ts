import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import Database from 'better-sqlite3';
import { request } from 'undici';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { databasePath } from '../../src/engine/store/open-database.js';
import { startBuyer, type TestBuyer } from '../support/buyer-server.js';
import { autoCampaign, buyerFor, leadBody, makeDataDir, SOURCE_KEY, workspaceOf } from './fixtures/engine-harness.js';
import { freePort, isListening, killServe, occupyPort, pingdesk, spawnServe, whenServing, type ServeProcess } from './fixtures/serve-process.js';

/**
 * `pingdesk serve` as real processes: one engine per data folder, starts that fail as a whole, and
 * stops that end within their bound.
 */

// Each test starts two or three real processes (about 2 s each to load on this machine).
vi.setConfig({ testTimeout: 90_000 });

let buyer: TestBuyer;
let slowBuyer: TestBuyer;
let dir: string;
const running: ServeProcess[] = [];

beforeAll(async () => {
  buyer = await startBuyer({ bid: 30 });
  slowBuyer = await startBuyer({ bid: 30, delayMs: 900 });
});
afterAll(async () => {
  await buyer.close();
  await slowBuyer.close();
});
afterEach(() => {
  for (const p of running.splice(0)) killServe(p);
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

function serve(args: string[], env: Record<string, string> = {}): ServeProcess {
  const p = spawnServe(args, env);
  running.push(p);
  return p;
}

function writeWorkspace(target: TestBuyer): string {
  const file = path.join(dir, '..', `${path.basename(dir)}-workspace.json`);
  const ws = workspaceOf(autoCampaign([{ name: 'Tier 1', floor: 5, buyers: ['acme'] }]), [buyerFor(target, 'acme')]);
  fs.writeFileSync(file, JSON.stringify(ws));
  return file;
}

async function sendLead(intakeUrl: string): Promise<{ status: number; body: { status?: string; error?: string } }> {
  const res = await request(`${intakeUrl}/v1/leads`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${SOURCE_KEY}` },
    body: JSON.stringify(leadBody()),
  });
  return { status: res.statusCode, body: (await res.body.json()) as { status?: string; error?: string } };
}

function within<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  return Promise.race([p, new Promise<T>((_, reject) => setTimeout(() => reject(new Error(`${what}: not within ${ms} ms`)), ms))]);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function leadStatuses(): Record<string, number> {
  const db = new Database(databasePath(dir), { readonly: true });
  try {
    const rows = db.prepare('SELECT status, COUNT(*) AS n FROM leads GROUP BY status').all() as Array<{ status: string; n: number }>;
    return Object.fromEntries(rows.map((r) => [r.status, r.n]));
  } finally {
    db.close();
  }
}

describe('one engine per data folder', () => {
  it('refuses a second serve on a folder in use at once, naming the folder and the holder, while the first keeps selling', async () => {
    dir = makeDataDir('pingdesk-lock-');
    const first = serve(['--data-dir', dir, '--workspace', writeWorkspace(buyer), '--intake-port', '0', '--console-port', '0']);
    const { intakeUrl } = await whenServing(first);

    const answers: Array<{ status: number; body: { status?: string } }> = [];
    let stop = false;
    const traffic = (async () => {
      while (!stop) answers.push(await sendLead(intakeUrl));
    })();
    while (answers.length < 5) await sleep(20);

    const startedAt = Date.now();
    const second = serve(['--data-dir', dir, '--intake-port', '0', '--console-port', '0']);
    const refused = await within(second.exited, 15_000, 'the second serve exits');
    expect(refused.code).toBe(1);
    // Node and tsx take about a second to load; the refusal itself comes before the database opens.
    expect(refused.at - startedAt).toBeLessThan(8_000);
    expect(second.err()).toContain(dir);
    expect(second.err()).toContain(`process ${first.pid}`);
    expect(second.err()).toContain('folder_locked');
    expect(second.out()).not.toContain('Intake:');

    const seen = answers.length;
    while (answers.length < seen + 10) await sleep(20);
    stop = true;
    await traffic;
    expect(answers.filter((a) => a.status !== 200 || a.body.status !== 'sold')).toEqual([]);
    // Review takes no lock: verify and export run beside the serving engine.
    expect(pingdesk('audit', 'verify', '--data-dir', dir).code).toBe(0);
    expect(pingdesk('export', 'leads', '--data-dir', dir, '--out', path.join(dir, 'beside.csv')).code).toBe(0);

    first.child.kill('SIGTERM');
    expect((await within(first.exited, 20_000, 'the first serve stops')).code).toBe(0);
    const verify = pingdesk('audit', 'verify', '--data-dir', dir);
    expect(verify.code, verify.out + verify.err).toBe(0);
    // Nothing was marked interrupted: the second start never ran recovery on the live database.
    expect(leadStatuses()).toEqual({ sold: answers.length });
  });

  it('lets a new serve take the folder after the holder was killed with SIGKILL', async () => {
    dir = makeDataDir('pingdesk-lock-kill-');
    const first = serve(['--data-dir', dir, '--workspace', writeWorkspace(buyer), '--intake-port', '0', '--console-port', '0']);
    const { intakeUrl } = await whenServing(first);
    expect((await sendLead(intakeUrl)).body.status).toBe('sold');
    process.kill(-first.pid, 'SIGKILL');
    await first.exited;
    // The owner file of the dead holder is still there; the lock (held by the OS for it) is not.
    expect(fs.existsSync(path.join(dir, 'pingdesk.lock.json'))).toBe(true);

    const next = serve(['--data-dir', dir, '--intake-port', '0', '--console-port', '0']);
    const urls = await whenServing(next);
    expect((await sendLead(urls.intakeUrl)).body.status).toBe('sold');
    next.child.kill('SIGTERM');
    expect((await within(next.exited, 20_000, 'serve stops')).code).toBe(0);
    expect(leadStatuses()).toEqual({ sold: 2 });
    expect(pingdesk('audit', 'verify', '--data-dir', dir).code).toBe(0);
  });
});

describe('a start that fails leaves nothing running', () => {
  it('exits non-zero when the intake port is taken, without opening the console port', async () => {
    dir = makeDataDir('pingdesk-port-');
    const taken = await occupyPort();
    try {
      const consolePort = await freePort();
      const p = serve(['--data-dir', dir, '--intake-port', String(taken.port), '--console-port', String(consolePort)]);
      const exit = await within(p.exited, 20_000, 'serve exits');
      expect(exit.code).toBe(1);
      expect(p.err()).toContain(`intake port ${taken.port}`);
      expect(await isListening(consolePort)).toBe(false);
      // The folder is free again for the next start.
      const next = serve(['--data-dir', dir, '--intake-port', '0', '--console-port', '0']);
      await whenServing(next);
      next.child.kill('SIGTERM');
      expect((await next.exited).code).toBe(0);
    } finally {
      await taken.close();
    }
  });

  it('exits non-zero when the console port is taken, closing the intake listener it had opened', async () => {
    dir = makeDataDir('pingdesk-port-');
    const taken = await occupyPort();
    try {
      const intakePort = await freePort();
      const p = serve(['--data-dir', dir, '--intake-port', String(intakePort), '--console-port', String(taken.port)]);
      // Exiting on its own is the proof: a listener left open would keep the process alive.
      const exit = await within(p.exited, 20_000, 'serve exits on its own');
      expect(exit.code).toBe(1);
      expect(p.err()).toContain(`Console port ${taken.port}`);
      expect(await isListening(intakePort)).toBe(false);
    } finally {
      await taken.close();
    }
  });

  it('refuses a damaged database with what to do, leaving the file as it was and nothing listening', async () => {
    dir = makeDataDir('pingdesk-corrupt-');
    const garbage = Buffer.alloc(8192, 'not a database ');
    fs.writeFileSync(databasePath(dir), garbage);
    const intakePort = await freePort();
    const consolePort = await freePort();
    const p = serve(['--data-dir', dir, '--intake-port', String(intakePort), '--console-port', String(consolePort)]);
    const exit = await within(p.exited, 20_000, 'serve exits');
    expect(exit.code).toBe(1);
    expect(p.err()).toContain('database_corrupt');
    expect(p.err()).toContain('Restore the data folder from a backup or an archive');
    expect(p.err()).toContain('audit verify');
    expect(fs.readFileSync(databasePath(dir)).equals(garbage)).toBe(true);
    expect(await isListening(intakePort)).toBe(false);
    expect(await isListening(consolePort)).toBe(false);
  });
});

describe('stopping', () => {
  /** Sends the headers of a lead and part of its body, then stalls. */
  async function stalledBody(intakeUrl: string): Promise<{ closed: Promise<number> }> {
    const url = new URL(intakeUrl);
    const socket = net.connect({ host: url.hostname, port: Number(url.port) });
    await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
    socket.on('error', () => undefined);
    socket.write(`POST /v1/leads HTTP/1.1\r\nHost: ${url.host}\r\nContent-Type: application/json\r\nAuthorization: Bearer ${SOURCE_KEY}\r\nContent-Length: 4000\r\n\r\n{"campaign":"auto-`);
    const closed = new Promise<number>((resolve) => socket.once('close', () => resolve(Date.now())));
    // Let the server read the headers: a request that arrives only once the stop began gets a 503 at once.
    await sleep(300);
    return { closed };
  }

  it('SIGTERM lets the auction in flight finish, cuts a stalled body at the drain bound and exits 0', async () => {
    dir = makeDataDir('pingdesk-drain-');
    const drainMs = 2_500;
    const p = serve(['--data-dir', dir, '--workspace', writeWorkspace(slowBuyer), '--intake-port', '0', '--console-port', '0'], { PINGDESK_DRAIN_TIMEOUT_MS: String(drainMs) });
    const { intakeUrl } = await whenServing(p);
    const stalled = await stalledBody(intakeUrl);
    const inFlight = sendLead(intakeUrl);
    await sleep(200);

    const signalledAt = Date.now();
    p.child.kill('SIGTERM');
    // The buyer answers its ping after 0.9 s: the lead sells during the drain.
    expect((await inFlight).body.status).toBe('sold');
    const exit = await within(p.exited, drainMs + 8_000, 'serve exits');
    expect(exit.code).toBe(0);
    const cutAt = await stalled.closed;
    expect(cutAt - signalledAt).toBeGreaterThanOrEqual(drainMs - 200);
    expect(exit.at - signalledAt).toBeLessThan(drainMs + 5_000);
    expect(leadStatuses()).toEqual({ sold: 1 });
  });

  it('a second SIGTERM exits at once with a non-zero code', async () => {
    dir = makeDataDir('pingdesk-drain-');
    const p = serve(['--data-dir', dir, '--workspace', writeWorkspace(buyer), '--intake-port', '0', '--console-port', '0']);
    const { intakeUrl } = await whenServing(p);
    expect((await sendLead(intakeUrl)).body.status).toBe('sold');
    await stalledBody(intakeUrl);
    p.child.kill('SIGTERM');
    await sleep(500);
    expect(p.child.exitCode).toBe(null);
    const againAt = Date.now();
    p.child.kill('SIGTERM');
    const exit = await within(p.exited, 3_000, 'serve exits on the second signal');
    expect(exit.code, `${exit.at - againAt} ${p.out()} ${p.err()}`).toBe(1);
    expect(exit.at - againAt).toBeLessThan(1_500);
    // What was acknowledged is kept, as after a kill.
    expect(leadStatuses()).toEqual({ sold: 1 });
    expect(pingdesk('audit', 'verify', '--data-dir', dir).code).toBe(0);
  });
});
