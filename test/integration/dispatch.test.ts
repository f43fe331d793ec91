import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Dispatcher } from '../../src/engine/auction/dispatch.js';
import type { DispatchEvent } from '../../src/engine/auction/dispatch.js';
import { buildPingRequest } from '../../src/engine/deliver/build-ping.js';
import { buildPostRequest } from '../../src/engine/deliver/build-post.js';
import type { PostInput } from '../../src/engine/deliver/build-post.js';
import { compileBuyer } from '../../src/engine/workspace/compile.js';
import type { RuntimeBuyer } from '../../src/engine/workspace/runtime.js';
import type { BuyerSpec } from '../../src/shared/domain.js';
import { buyerSpecFor, startBuyer, xmlRules } from '../support/buyer-server.js';
import type { BehaviourSource, TestBuyer } from '../support/buyer-server.js';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()?.();
});

function dispatcher(opts: ConstructorParameters<typeof Dispatcher>[0] = {}): Dispatcher {
  const d = new Dispatcher(opts);
  cleanups.push(() => d.close());
  return d;
}

async function buyer(id: string, behaviour: BehaviourSource, extra: Partial<BuyerSpec> = {}): Promise<{ server: TestBuyer; rb: RuntimeBuyer }> {
  const server = await startBuyer(behaviour);
  cleanups.push(() => server.close());
  return { server, rb: compileBuyer(buyerSpecFor(server, id, extra)) };
}

const pingInput = { pingId: 'p-1', campaign: 'auto-insurance', vertical: 'auto', fields: { state: 'TX', zip: '78701' }, test: false };
const build = (b: RuntimeBuyer) => buildPingRequest(b, pingInput);
const postInput: PostInput = {
  pingId: 'p-1',
  token: 'tok',
  priceCents: 2500,
  lead: { first_name: 'Ana', phone: '+15122345678', state: 'TX' },
  consent: { text: 'I agree', captured_at: '2026-11-27T15:04:05Z' },
  test: false,
  leadId: 'lead-1',
};

async function waitFor(condition: () => boolean, timeoutMs = 2000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!condition() && Date.now() < until) await new Promise((r) => setTimeout(r, 10));
}

async function refusedPort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as AddressInfo).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

describe('pingAll', () => {
  it('a hanging buyer does not hold the auction past its deadline, and its request is aborted', async () => {
    const fast = await buyer('fast', { bid: 20, token: 't-fast' });
    const hang = await buyer('hang', { hang: true });
    const d = dispatcher();
    const started = Date.now();
    const deadlineAt = started + 300;
    const results = await d.pingAll([fast.rb, hang.rb], build, deadlineAt);
    const ended = Date.now();
    expect(ended).toBeLessThanOrEqual(deadlineAt + 150);
    expect(results.map((r) => [r.buyerId, r.outcome])).toEqual([
      ['fast', 'BID'],
      ['hang', 'TIMEOUT'],
    ]);
    expect(results[0]).toMatchObject({ bidCents: 2000, token: 't-fast', httpStatus: 200 });
    expect(results[1].latencyMs).toBeGreaterThanOrEqual(250);
    expect(hang.server.pings()).toHaveLength(1);
    // The aborted request closes its socket, so the hanging buyer sees its client go away.
    await waitFor(() => hang.server.openSockets === 0);
    expect(hang.server.openSockets).toBe(0);
  });

  it('a buyer slower than its own ping timeout times out while a fast one bids', async () => {
    const fast = await buyer('fast', { bid: 31.25 });
    const slow = await buyer('slow', { bid: 90, delayMs: 400 }, { ping: undefined });
    const slowRb = compileBuyer({ ...slow.rb.spec, ping: { url: slow.server.pingUrl, timeoutMs: 100 } });
    const d = dispatcher();
    const results = await d.pingAll([fast.rb, slowRb], build, Date.now() + 2000);
    expect(results[0]).toMatchObject({ outcome: 'BID', bidCents: 3125 });
    expect(results[1]).toMatchObject({ outcome: 'TIMEOUT', bidCents: null, reason: 'no answer within 100 ms' });
  });

  it('maps each kind of broken buyer to its own outcome', async () => {
    const err = await buyer('err', { status: 500 });
    const garbage = await buyer('garbage', { garbage: true });
    const decline = await buyer('decline', { decline: true });
    const none = await buyer('none', { status: 204 });
    const port = await refusedPort();
    const refused = compileBuyer({ id: 'refused', name: 'Refused', ping: { url: `http://127.0.0.1:${port}/ping` }, post: { url: `http://127.0.0.1:${port}/post` } });
    const d = dispatcher();
    const results = await d.pingAll([err.rb, garbage.rb, decline.rb, none.rb, refused], build, Date.now() + 2000);
    expect(results.map((r) => [r.buyerId, r.outcome, r.httpStatus])).toEqual([
      ['err', 'HTTP_ERROR', 500],
      ['garbage', 'BAD_RESPONSE', 200],
      ['decline', 'NO_BID', 200],
      ['none', 'NO_BID', 204],
      ['refused', 'UNREACHABLE', null],
    ]);
    expect(results[0].reason).toBe('HTTP 500');
    expect(results[4].reason).toMatch(/ECONNREFUSED/);
  });

  it('a bid that completes after the deadline is LATE, never a bid', async () => {
    let skew = 0;
    const late = await buyer('late', () => {
      skew = 5000; // the engine's clock jumps past the deadline while the buyer answers
      return { bid: 99 };
    });
    const d = dispatcher({ now: () => Date.now() + skew });
    const [result] = await d.pingAll([late.rb], build, Date.now() + 1000);
    expect(result.outcome).toBe('LATE');
    expect(result.bidCents).toBeNull();
  });

  it('a buyer whose request cannot be built is UNREACHABLE without stopping the others', async () => {
    const ok = await buyer('ok', { bid: 10 });
    const fixed = compileBuyer({ id: 'fixed', name: 'Fixed', fixedPrice: 8, post: { url: 'http://127.0.0.1:1/post' } });
    const results = await dispatcher().pingAll([fixed, ok.rb], build, Date.now() + 1000);
    expect(results.map((r) => r.outcome)).toEqual(['UNREACHABLE', 'BID']);
    expect(results[0].reason).toMatch(/fixed-price/);
  });

  it('resolves at once with no buyers, and with none when the deadline has passed', async () => {
    const d = dispatcher();
    expect(await d.pingAll([], build, Date.now() + 1000)).toEqual([]);
    const b = await buyer('b', { bid: 10 });
    const [r] = await d.pingAll([b.rb], build, Date.now() - 1);
    expect(r.outcome).toBe('TIMEOUT');
    expect(b.server.pings()).toHaveLength(0);
  });

  it('a templated XML buyer gets XML and its XML answer is read', async () => {
    const xml = await buyer('xml', { bid: 17.5, token: 'x<1', format: 'xml' });
    const rb = compileBuyer({
      ...xml.rb.spec,
      ping: { url: xml.server.pingUrl, template: { format: 'xml', root: 'Ping', fields: { St: 'state' }, response: xmlRules.ping } },
      post: { url: xml.server.postUrl, template: { format: 'xml', root: 'Post', fields: { Phone: 'phone', Price: '$price' }, response: xmlRules.post } },
    });
    const d = dispatcher();
    const [ping] = await d.pingAll([rb], build, Date.now() + 2000);
    expect(ping).toMatchObject({ outcome: 'BID', bidCents: 1750, token: 'x<1' });
    expect(xml.server.pings()[0].body).toEqual({ '?xml': '', Ping: { ping_id: 'p-1', St: 'TX' } });
    const post = await d.post(rb, buildPostRequest(rb, postInput), 2000);
    expect(post).toMatchObject({ outcome: 'ACCEPTED', buyerRef: 'ref-1' });
    expect(xml.server.posts()[0].body.Post).toEqual({ ping_id: 'p-1', Phone: '+15122345678', Price: '25.00' });
  });

  it('capture keeps the request with credentials masked, and the answer', async () => {
    const b = await buyer('b', { bid: 12 }, { ping: undefined });
    const rb = compileBuyer({ ...b.rb.spec, ping: { url: b.server.pingUrl, auth: { type: 'header', header: 'X-Key', value: 'sekret' } } });
    const [r] = await dispatcher().pingAll([rb], build, Date.now() + 2000, { capture: true });
    expect(r.request?.headers['x-key']).toBe('[redacted]');
    expect(r.request?.body).toContain('"ping_id":"p-1"');
    expect(r.responseBody).toBe('{"bid":12}');
    expect(b.server.pings()[0].headers['x-key']).toBe('sekret');
    const [plain] = await dispatcher().pingAll([rb], build, Date.now() + 2000);
    expect(plain).not.toHaveProperty('request');
    expect(plain).not.toHaveProperty('responseBody');
  });

  it('pings carry only the fields they are given', async () => {
    const b = await buyer('b', { bid: 12 });
    await dispatcher().pingAll([b.rb], build, Date.now() + 2000);
    expect(b.server.pings()[0].body).toEqual({ ping_id: 'p-1', campaign: 'auto-insurance', vertical: 'auto', fields: { state: 'TX', zip: '78701' } });
  });
});

describe('connections', () => {
  it('keep-alive reuses connections across pings', async () => {
    const b = await buyer('b', { bid: 5 });
    const d = dispatcher();
    for (let i = 0; i < 20; i++) {
      const [r] = await d.pingAll([b.rb], build, Date.now() + 2000);
      expect(r.outcome).toBe('BID');
    }
    expect(b.server.requests).toHaveLength(20);
    expect(b.server.sockets).toBeLessThan(5);
  });

  it('an answer larger than the limit is BAD_RESPONSE "response too large"', async () => {
    const server = createServer((_req, res) => {
      res.setHeader('content-type', 'application/json');
      res.write('{"bid": 1, "pad": "');
      res.end(`${'x'.repeat(2048)}"}`);
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    cleanups.push(() => new Promise<void>((r) => server.close(() => r())));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const rb = compileBuyer({ id: 'big', name: 'Big', ping: { url: `${url}/ping` }, post: { url: `${url}/post` } });
    const [r] = await dispatcher({ maxResponseBytes: 1024 }).pingAll([rb], build, Date.now() + 2000);
    expect(r).toMatchObject({ outcome: 'BAD_RESPONSE', reason: 'response too large' });
  });

  it('an answer whose declared length is past the limit is refused the same way, and one just within it is read', async () => {
    const server = createServer((req, res) => {
      const body = `{"bid": 2, "pad": "${'x'.repeat(req.url === '/big/ping' ? 2048 : 1000)}"}`;
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
      res.end(body);
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    cleanups.push(() => new Promise<void>((r) => server.close(() => r())));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const big = compileBuyer({ id: 'big', name: 'Big', ping: { url: `${url}/big/ping` }, post: { url: `${url}/big/post` } });
    const fits = compileBuyer({ id: 'fits', name: 'Fits', ping: { url: `${url}/fits/ping` }, post: { url: `${url}/fits/post` } });
    const [r1, r2] = await dispatcher({ maxResponseBytes: 1024 }).pingAll([big, fits], build, Date.now() + 2000);
    expect(r1).toMatchObject({ outcome: 'BAD_RESPONSE', reason: 'response too large' });
    expect(r2).toMatchObject({ outcome: 'BID' });
  });

  it('a buyer that sends headers and then stalls the body times out', async () => {
    const server = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{"bid": 4');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    cleanups.push(() => new Promise<void>((r) => { server.closeAllConnections(); server.close(() => r()); }));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const rb = compileBuyer({ id: 'stall', name: 'Stall', ping: { url: `${url}/ping`, timeoutMs: 150 }, post: { url: `${url}/post` } });
    const [r] = await dispatcher().pingAll([rb], build, Date.now() + 2000);
    expect(r).toMatchObject({ outcome: 'TIMEOUT', reason: 'no answer within 150 ms', bidCents: null });
  });

  it('an aborted auction resolves at once with its unanswered buyers TIMEOUT', async () => {
    const h = await buyer('h', { hang: true });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    const started = Date.now();
    const [r] = await dispatcher().pingAll([h.rb], build, Date.now() + 5000, { signal: controller.signal });
    expect(r).toMatchObject({ outcome: 'TIMEOUT', reason: 'auction aborted' });
    expect(Date.now() - started).toBeLessThan(4000);
  });

  it('send never throws, even for a URL nobody can reach', async () => {
    const r = await dispatcher().send({ url: 'http://nonexistent.invalid/ping', method: 'POST', headers: {}, body: '{}' }, { timeoutMs: 2000 });
    expect(['unreachable', 'timeout']).toContain(r.kind);
  });

  it('an aborted caller signal stops the request', async () => {
    const b = await buyer('b', { hang: true });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    const r = await dispatcher().send(build(b.rb), { timeoutMs: 5000, signal: controller.signal });
    expect(r).toMatchObject({ kind: 'error', reason: 'aborted' });
    expect(r.latencyMs).toBeLessThan(4000);
  });

  it('a request still waiting for a socket times out at its own deadline, not when the socket frees', async () => {
    const b = await buyer('b', { hang: true });
    const d = dispatcher({ connections: 1 });
    // The buyer's only socket is held by a request that hangs for 5 s.
    const holding = d.send(build(b.rb), { timeoutMs: 5000 });
    await waitFor(() => b.server.pings().length === 1);
    const started = Date.now();
    const queued = await d.send(build(b.rb), { timeoutMs: 200 });
    expect(queued.kind).toBe('timeout');
    expect(Date.now() - started).toBeLessThan(2500);
    expect(await holding).toMatchObject({ kind: 'timeout' });
    // The queued request was cut before it reached the buyer.
    expect(b.server.pings()).toHaveLength(1);
  });
});

describe('post', () => {
  it('accepted, with the full record and the buyer reference', async () => {
    const b = await buyer('b', { postAccept: true, buyerRef: 'B-1' });
    const r = await dispatcher().post(b.rb, buildPostRequest(b.rb, postInput), 2000);
    expect(r).toMatchObject({ buyerId: 'b', outcome: 'ACCEPTED', buyerRef: 'B-1', httpStatus: 200, reason: null });
    expect(b.server.posts()[0].body).toMatchObject({ ping_id: 'p-1', lead_id: 'lead-1', token: 'tok', price: 25, lead: postInput.lead });
  });

  it('rejected with the buyer reason or by a 4xx; a 5xx or an unreadable answer is an unknown outcome', async () => {
    const b = await buyer('b', { postAccept: false, postReason: 'duplicate' });
    const d = dispatcher();
    expect(await d.post(b.rb, buildPostRequest(b.rb, postInput), 2000)).toMatchObject({ outcome: 'POST_REJECTED', reason: 'duplicate' });
    b.server.setBehaviour({ postStatus: 409 });
    expect(await d.post(b.rb, buildPostRequest(b.rb, postInput), 2000)).toMatchObject({ outcome: 'POST_REJECTED', reason: 'HTTP 409', httpStatus: 409 });
    // DESIGN.md §3: these may mean the buyer kept the lead.
    b.server.setBehaviour({ postStatus: 503 });
    expect(await d.post(b.rb, buildPostRequest(b.rb, postInput), 2000)).toMatchObject({ outcome: 'POST_ERROR', reason: 'HTTP 503', httpStatus: 503 });
    b.server.setBehaviour({ postGarbage: true });
    expect(await d.post(b.rb, buildPostRequest(b.rb, postInput), 2000)).toMatchObject({ outcome: 'POST_ERROR', reason: 'unreadable answer' });
  });

  it('a timed-out post keeps listening for its grace and reports a late acceptance', async () => {
    const b = await buyer('b', { postDelayMs: 300, buyerRef: 'LATE-1' });
    const d = dispatcher();
    const late: unknown[] = [];
    const started = Date.now();
    const r = await d.post(b.rb, buildPostRequest(b.rb, postInput), 100, { lateGraceMs: 5000, onLate: (x) => late.push(x) });
    expect(r).toMatchObject({ outcome: 'POST_TIMEOUT', reason: 'no answer within 100 ms' });
    expect(Date.now() - started).toBeLessThan(250);
    await vi.waitFor(() => expect(late).toEqual([expect.objectContaining({ outcome: 'ACCEPTED', buyerRef: 'LATE-1', httpStatus: 200 })]), { timeout: 3000 });
  });

  it('beyond maxLingeringPosts a timed-out post is cut at once', async () => {
    const b = await buyer('b', { postDelayMs: 400 });
    const d = dispatcher({ maxLingeringPosts: 1 });
    const late: string[] = [];
    const post = (name: string) => d.post(b.rb, buildPostRequest(b.rb, postInput), 100, { lateGraceMs: 30_000, onLate: () => late.push(name) });
    expect(await post('first')).toMatchObject({ outcome: 'POST_TIMEOUT' });
    expect(await post('second')).toMatchObject({ outcome: 'POST_TIMEOUT' });
    // The first listened on and heard the late answer; the second was aborted at its timeout.
    await vi.waitFor(() => expect(late).toEqual(['first']), { timeout: 2000 });
    await new Promise((r) => setTimeout(r, 500));
    expect(late).toEqual(['first']);
  });

  it('closing the dispatcher stops posts still listening for a late answer', async () => {
    const b = await buyer('b', { postHang: true });
    const d = new Dispatcher();
    const late: unknown[] = [];
    expect(await d.post(b.rb, buildPostRequest(b.rb, postInput), 100, { lateGraceMs: 30_000, onLate: (x) => late.push(x) })).toMatchObject({ outcome: 'POST_TIMEOUT' });
    expect(b.server.openSockets).toBe(1);
    const closing = Date.now();
    await d.close();
    expect(Date.now() - closing).toBeLessThan(500);
    await vi.waitFor(() => expect(b.server.openSockets).toBe(0), { timeout: 2000 });
    expect(late).toEqual([]);
  });

  it('a post with no answer in time is POST_TIMEOUT, an unreachable one POST_ERROR', async () => {
    const b = await buyer('b', { postHang: true });
    const d = dispatcher();
    const started = Date.now();
    const r = await d.post(b.rb, buildPostRequest(b.rb, postInput), 200);
    expect(r).toMatchObject({ outcome: 'POST_TIMEOUT', reason: 'no answer within 200 ms' });
    expect(Date.now() - started).toBeLessThan(200 + 1000);
    const port = await refusedPort();
    const gone = compileBuyer({ id: 'gone', name: 'Gone', fixedPrice: 5, post: { url: `http://127.0.0.1:${port}/post` } });
    expect(await d.post(gone, buildPostRequest(gone, postInput), 1000)).toMatchObject({ outcome: 'POST_ERROR' });
  });
});

describe('observability', () => {
  it('publishes each ping and post outcome on pingdesk:dispatch', async () => {
    const events: DispatchEvent[] = [];
    const onEvent = (msg: unknown) => events.push(msg as DispatchEvent);
    subscribe('pingdesk:dispatch', onEvent);
    cleanups.push(() => void unsubscribe('pingdesk:dispatch', onEvent));
    const b = await buyer('b', { bid: 9 });
    const h = await buyer('h', { hang: true });
    const d = dispatcher();
    await d.pingAll([b.rb, h.rb], build, Date.now() + 200);
    await d.post(b.rb, buildPostRequest(b.rb, postInput), 2000);
    expect(events.map((e) => [e.buyerId, e.kind, e.outcome])).toEqual([
      ['b', 'ping', 'BID'],
      ['h', 'ping', 'TIMEOUT'],
      ['b', 'post', 'ACCEPTED'],
    ]);
    expect(events.every((e) => typeof e.latencyMs === 'number')).toBe(true);
  });
});
