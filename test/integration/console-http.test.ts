import http from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import type { AuctionSummary, ConsoleEvents, EventName } from '../../src/shared/console-api.js';
import type { ConsoleHandlers, EventListener } from '../../src/engine/console/console-host.js';
import { createConsoleHost } from '../../src/engine/console/console-host.js';
import type { ConsoleServer } from '../../src/engine/console/http-transport.js';
import { startConsoleServer } from '../../src/engine/console/http-transport.js';
import { CONTENT_SECURITY_POLICY } from '../../src/shared/csp.js';
import { PingdeskError } from '../../src/shared/errors.js';

function fakeHost(readOnly = false) {
  const listeners = new Set<EventListener>();
  const handlers = {
    'session.info': () => ({ version: '0.0.0-test', readOnly, dataDir: '/tmp/x', intakeUrl: null, mode: 'browser' as const, startedAt: 1 }),
    'leads.get': ({ id }: { id: string }) => {
      throw new PingdeskError('not_found', `No lead ${id}`);
    },
    'leads.erase': () => ({ erased: true as const }),
  } as unknown as ConsoleHandlers;
  const host = createConsoleHost({
    handlers,
    readOnly,
    subscribe: (fn) => {
      listeners.add(fn);
      return () => listeners.delete(fn);
    },
  });
  const emit = <E extends EventName>(name: E, payload: ConsoleEvents[E]) => listeners.forEach((fn) => fn(name, payload));
  return { host, emit, listenerCount: () => listeners.size };
}

function summary(i: number): AuctionSummary {
  return { id: `a${i}`, leadId: `l${i}`, campaignId: 'auto', sourceId: 'pub-1', state: 'TX', startedAt: i, status: 'sold', tierReached: 0, winnerBuyerId: 'acme', price: 20, payout: 14, margin: 6, latencyMs: 12, test: false, reason: null };
}

interface RawResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** node:http rather than fetch: it sends paths and Host headers exactly as written. */
function raw(port: number, method: string, urlPath: string, headers: Record<string, string> = {}, body?: string): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, method, path: urlPath, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

let server: ConsoleServer | null = null;
afterEach(async () => {
  await server?.close();
  server = null;
});

async function callApi(s: ConsoleServer, method: string, args: unknown, token = s.token) {
  return fetch(`http://127.0.0.1:${s.port}/api/call/${method}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-pingdesk-token': token },
    body: JSON.stringify(args),
  });
}

describe('console HTTP transport', () => {
  it('binds to loopback and prints a URL carrying the token', async () => {
    const { host } = fakeHost();
    server = await startConsoleServer({ host, port: 0 });
    expect(server.url).toBe(`http://127.0.0.1:${server.port}/?token=${server.token}`);
    expect(server.token).toMatch(/^[A-Za-z0-9_-]{32}$/);
    const again = await startConsoleServer({ host, port: 0 });
    expect(again.token).not.toBe(server.token);
    await again.close();
  });

  it('refuses a call without the token or with a wrong one (401)', async () => {
    const { host } = fakeHost();
    server = await startConsoleServer({ host, port: 0 });
    const none = await fetch(`http://127.0.0.1:${server.port}/api/call/session.info`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(none.status).toBe(401);
    expect(await none.json()).toMatchObject({ ok: false, error: { code: 'unauthorized' } });
    const wrong = await callApi(server, 'session.info', {}, 'x'.repeat(server.token.length));
    expect(wrong.status).toBe(401);
  });

  it('refuses a request whose Host header is not the loopback address and port (403)', async () => {
    const { host } = fakeHost();
    server = await startConsoleServer({ host, port: 0 });
    const headers = { 'content-type': 'application/json', 'x-pingdesk-token': server.token };
    const rebound = await raw(server.port, 'POST', '/api/call/session.info', { ...headers, host: `evil.example:${server.port}` }, '{}');
    expect(rebound.status).toBe(403);
    expect(JSON.parse(rebound.body)).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    const otherPort = await raw(server.port, 'POST', '/api/call/session.info', { ...headers, host: `127.0.0.1:${server.port + 1}` }, '{}');
    expect(otherPort.status).toBe(403);
    for (const name of ['localhost', '127.0.0.1', '[::1]']) {
      const ok = await raw(server.port, 'POST', '/api/call/session.info', { ...headers, host: `${name}:${server.port}` }, '{}');
      expect(ok.status).toBe(200);
    }
  });

  it('answers a call with the same Reply as calling the host directly, errors included', async () => {
    const { host } = fakeHost(true);
    server = await startConsoleServer({ host, port: 0 });
    const ctx = { actor: 'test' };
    for (const [method, args] of [
      ['session.info', {}],
      ['leads.get', { id: 'lead-1' }],
      ['leads.get', { id: '' }],
      ['leads.erase', { id: 'lead-1' }],
      ['no.such.method', {}],
    ] as const) {
      const res = await callApi(server, method, args);
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual(await host.call(method, args, ctx));
    }
    const readOnly = await (await callApi(server, 'leads.erase', { id: 'lead-1' })).json();
    expect(readOnly).toMatchObject({ ok: false, error: { code: 'read_only' } });
  });

  it('answers malformed JSON with invalid_json and sends the strict security headers', async () => {
    const { host } = fakeHost();
    server = await startConsoleServer({ host, port: 0 });
    const res = await raw(server.port, 'POST', '/api/call/session.info', { host: `127.0.0.1:${server.port}`, 'content-type': 'application/json', 'x-pingdesk-token': server.token }, '{nope');
    expect(res.status).toBe(400);
    expect(JSON.parse(res.body)).toMatchObject({ ok: false, error: { code: 'invalid_json' } });
    expect(res.headers['content-security-policy']).toBe(CONTENT_SECURITY_POLICY);
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['referrer-policy']).toBe('no-referrer');
  });

  it('streams events over SSE, auctions batched, and unsubscribes when the client leaves', async () => {
    const { host, emit, listenerCount } = fakeHost();
    server = await startConsoleServer({ host, port: 0, heartbeatMs: 50 });
    const unauthorized = await raw(server.port, 'GET', '/api/events', { host: `127.0.0.1:${server.port}` });
    expect(unauthorized.status).toBe(401);

    const controller = new AbortController();
    const res = await fetch(`http://127.0.0.1:${server.port}/api/events?token=${server.token}`, { signal: controller.signal });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/event-stream');
    expect(res.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
    const reader = res.body!.getReader();
    const decoder = new TextDecoder();
    let text = '';
    const readUntil = async (done: (t: string) => boolean) => {
      while (!done(text)) {
        const chunk = await reader.read();
        if (chunk.done) throw new Error('stream ended');
        text += decoder.decode(chunk.value, { stream: true });
      }
    };
    await readUntil((t) => t.includes(': connected'));

    for (let i = 0; i < 300; i++) emit('auctions.batch', [summary(i)]);
    emit('config.changed', { kind: 'buyer', id: 'acme', actor: 'console', at: 5 });
    await readUntil((t) => (t.match(/"id":"a\d+"/g) ?? []).length >= 300 && t.includes('event: config.changed'));
    const batches = [...text.matchAll(/event: auctions\.batch\ndata: (.*)\n\n/g)].map((m) => JSON.parse(m[1]) as AuctionSummary[]);
    expect(batches.length).toBeLessThanOrEqual(2);
    expect(batches.flat().map((s) => s.id)).toEqual(Array.from({ length: 300 }, (_, i) => `a${i}`));
    expect(text).toMatch(/event: config\.changed\ndata: \{"kind":"buyer","id":"acme"/);
    await readUntil((t) => t.includes(': heartbeat'));

    expect(server.stats().eventStreams).toBe(1);
    controller.abort();
    await reader.cancel().catch(() => undefined);
    await expect.poll(() => server!.stats().eventStreams).toBe(0);
    await server.close();
    expect(listenerCount()).toBe(0);
  });

  it('closes open event streams when the server closes', async () => {
    const { host } = fakeHost();
    server = await startConsoleServer({ host, port: 0 });
    const res = await fetch(`http://127.0.0.1:${server.port}/api/events?token=${server.token}`);
    const reader = res.body!.getReader();
    await reader.read();
    await server.close();
    server = null;
    let ended = false;
    while (!ended) ended = (await reader.read()).done;
    expect(ended).toBe(true);
  });
});
