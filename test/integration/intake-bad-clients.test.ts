import net from 'node:net';
import { describe, expect, it } from 'vitest';
import { autoCampaign, buyerFor, journeyCounts, leadBody, SOURCE_KEY, useTestRig, workspaceOf } from './fixtures/engine-harness.js';

const rig = useTestRig();

interface RawAnswer {
  /** Everything the server wrote before it closed (or before `waitMs`). */
  text: string;
  status: number | null;
  body: unknown;
  closed: boolean;
  /** Milliseconds from the last byte sent to the close (or to `waitMs`). */
  elapsedMs: number;
}

/** Opens a raw TCP connection to the intake, writes `chunks`, and collects the answer until the server closes. */
function rawExchange(port: number, chunks: string[], waitMs = 5000): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    let text = '';
    let sentAt = Date.now();
    const finish = (closed: boolean) => {
      clearTimeout(timer);
      socket.destroy();
      const status = /^HTTP\/1\.1 (\d{3})/.exec(text)?.[1];
      const rawBody = text.split('\r\n\r\n').slice(1).join('\r\n\r\n');
      let body: unknown = rawBody;
      try {
        body = JSON.parse(rawBody);
      } catch {
        // Not JSON: the assertion on the body says so.
      }
      resolve({ text, status: status ? Number(status) : null, body, closed, elapsedMs: Date.now() - sentAt });
    };
    const timer = setTimeout(() => finish(false), waitMs);
    socket.setEncoding('utf8');
    socket.on('data', (d: string) => (text += d));
    socket.on('close', () => finish(true));
    socket.on('error', (err: NodeJS.ErrnoException) => (err.code === 'ECONNRESET' ? finish(true) : reject(err)));
    socket.on('connect', () => {
      for (const c of chunks) socket.write(c);
      sentAt = Date.now();
    });
  });
}

function connectIdle(port: number): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const s = net.connect(port, '127.0.0.1', () => resolve(s));
    s.on('error', reject);
  });
}

async function exchange(limits: { requestTimeoutMs?: number; headersTimeoutMs?: number; maxConnectionsPerAddress?: number }, postDelayMs?: number) {
  const acme = await rig.buyer({ bid: 30, postDelayMs });
  const h = await rig.engine({ workspace: workspaceOf(autoCampaign([{ name: 'Tier 1', floor: 20, buyers: ['acme'] }]), [buyerFor(acme, 'acme')]), intakeLimits: limits });
  const port = Number(new URL(h.intakeUrl).port);
  return { h, acme, port };
}

describe('the intake listener against bad clients', () => {
  it('answers oversized headers with 431 and malformed HTTP with 400, each with an {error, message} body', async () => {
    const { port } = await exchange({});
    const big = await rawExchange(port, [`GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Filler: ${'a'.repeat(40 * 1024)}\r\n\r\n`]);
    expect(big.status).toBe(431);
    expect(big.text).toMatch(/content-type: application\/json/i);
    expect(big.body).toEqual({ error: 'headers_too_large', message: expect.any(String) });
    expect(big.closed).toBe(true);

    const garbage = await rawExchange(port, ['THIS IS NOT HTTP\r\n\r\n']);
    expect(garbage.status).toBe(400);
    expect(garbage.body).toEqual({ error: 'bad_request', message: expect.any(String) });
  });

  it('cuts a request whose body stalls within the configured timeout, storing nothing, and serves the next client', async () => {
    const { h, acme, port } = await exchange({ requestTimeoutMs: 1000, headersTimeoutMs: 1000 });
    const body = JSON.stringify(leadBody());
    const head = `POST /v1/leads HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nAuthorization: Bearer ${SOURCE_KEY}\r\nContent-Length: ${body.length}\r\n\r\n`;
    const stalled = await rawExchange(port, [head, body.slice(0, 40)], 6000);
    expect(stalled.closed).toBe(true);
    // The bound is the timeout plus the listener's check interval (at most 1 s at this setting).
    expect(stalled.elapsedMs).toBeLessThan(2800);
    expect(stalled.status).toBe(408);
    expect(stalled.body).toEqual({ error: 'request_timeout', message: expect.any(String) });
    expect(journeyCounts(h.db()).leads).toBe(0);
    expect(acme.pings()).toHaveLength(0);

    const headers = await rawExchange(port, ['POST /v1/leads HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: appl'], 6000);
    expect(headers.closed).toBe(true);
    expect(headers.elapsedMs).toBeLessThan(2800);
    expect(headers.body).toEqual({ error: 'request_timeout', message: expect.any(String) });

    expect((await h.sendLead(leadBody())).body.status).toBe('sold');
  });

  it('does not cut a request that arrived whole while its auction runs past the request timeout', async () => {
    const { h, acme } = await exchange({ requestTimeoutMs: 1000, headersTimeoutMs: 1000 }, 2200);
    const started = Date.now();
    const reply = await h.sendLead(leadBody());
    expect(Date.now() - started).toBeGreaterThanOrEqual(2200);
    expect(reply.status).toBe(200);
    expect(reply.body).toMatchObject({ status: 'sold', price: 21 });
    expect(acme.posts()).toHaveLength(1);
  });

  it('refuses connections over the per-address cap with 429 too_many_connections, and takes new ones once others close', async () => {
    const { port } = await exchange({ maxConnectionsPerAddress: 3 });
    const held = await Promise.all([connectIdle(port), connectIdle(port), connectIdle(port)]);
    try {
      const over = await rawExchange(port, ['GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n']);
      expect(over.status).toBe(429);
      expect(over.text).toMatch(/connection: close/i);
      expect(over.body).toEqual({ error: 'too_many_connections', message: expect.stringContaining('3') });
      expect(over.closed).toBe(true);

      held.pop()?.destroy();
      await new Promise((resolve) => setTimeout(resolve, 100));
      const next = await rawExchange(port, ['GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n']);
      expect(next.status).toBe(200);
      expect(next.body).toMatchObject({ status: 'ok' });
    } finally {
      for (const s of held) s.destroy();
    }
  });
});
