import { createServer } from 'node:http';
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { XMLParser } from 'fast-xml-parser';
import type { BuyerSpec } from '../../src/shared/domain.js';

/**
 * A real buyer on 127.0.0.1 for integration tests. It answers `…/ping` and `…/post` the way the
 * behaviour says and records every request, so tests can check what a buyer was (and was not) sent.
 */
export interface BuyerBehaviour {
  /** Dollars; null or absent answers with no bid. */
  bid?: number | null;
  token?: string;
  decline?: boolean;
  delayMs?: number;
  /** Pings are never answered; the socket stays open until the server closes. */
  hang?: boolean;
  /** Ping answer status; a non-2xx status sends an error body. */
  status?: number;
  /** Ping answer is not parseable in any format. */
  garbage?: boolean;
  /** Default true. */
  postAccept?: boolean;
  postReason?: string;
  buyerRef?: string;
  postDelayMs?: number;
  postStatus?: number;
  postHang?: boolean;
  /** The post's connection is destroyed once the request is read: no answer at all. */
  postDrop?: boolean;
  postGarbage?: boolean;
  /** Answer format for pings and posts (see `xmlRules` for the matching template response rules). */
  format?: 'native' | 'xml' | 'form';
}

export interface RecordedRequest {
  path: string;
  method: string;
  headers: IncomingHttpHeaders;
  // Tests read into bodies of any shape (JSON, form, XML); a precise type would only add casts.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  body: any;
  raw: string;
  /** Which connection carried it (1-based, in accept order). */
  socket: number;
}

export type BehaviourSource = BuyerBehaviour | ((req: RecordedRequest) => BuyerBehaviour);

export interface TestBuyer {
  url: string;
  pingUrl: string;
  postUrl: string;
  requests: RecordedRequest[];
  pings(): RecordedRequest[];
  posts(): RecordedRequest[];
  /** Connections accepted so far. */
  readonly sockets: number;
  /** Connections still open (a client that aborted has closed its own). */
  readonly openSockets: number;
  setBehaviour(b: BehaviourSource): void;
  close(): Promise<void>;
}

/** Template response rules matching what a `format: 'xml'` test buyer answers. */
export const xmlRules = {
  ping: { format: 'xml', bidPath: 'response.bid', tokenPath: 'response.token', reasonPath: 'response.reason' },
  post: { format: 'xml', acceptedPath: 'response.accepted', reasonPath: 'response.reason', buyerRefPath: 'response.buyer_ref' },
} as const;

const xmlParser = new XMLParser({ parseTagValue: false });

export async function startBuyer(behaviour: BehaviourSource = { bid: 10 }): Promise<TestBuyer> {
  let current = behaviour;
  let socketCount = 0;
  let openSockets = 0;
  let postCount = 0;
  const requests: RecordedRequest[] = [];
  const timers = new Set<NodeJS.Timeout>();
  const socketIds = new WeakMap<Socket, number>();

  const later = (ms: number | undefined, fn: () => void) => {
    if (!ms) return fn();
    const t = setTimeout(() => {
      timers.delete(t);
      fn();
    }, ms);
    timers.add(t);
  };

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      const recorded: RecordedRequest = {
        path: req.url ?? '/',
        method: req.method ?? 'GET',
        headers: req.headers,
        body: parseRequestBody(req, raw),
        raw,
        socket: socketIds.get(req.socket) ?? 0,
      };
      requests.push(recorded);
      const b = typeof current === 'function' ? current(recorded) : current;
      const path = recorded.path.split('?')[0];
      if (path.endsWith('/ping')) {
        if (!b.hang) later(b.delayMs, () => answerPing(res, b));
      } else if (path.endsWith('/post')) {
        postCount += 1;
        const ref = b.buyerRef ?? `ref-${postCount}`;
        if (b.postDrop) req.socket.destroy();
        else if (!b.postHang) later(b.postDelayMs, () => answerPost(res, b, ref));
      } else {
        send(res, 404, 'application/json', '{"error":"not_found"}');
      }
    });
  });
  server.on('connection', (socket: Socket) => {
    socketIds.set(socket, ++socketCount);
    openSockets += 1;
    socket.on('close', () => (openSockets -= 1));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    url,
    pingUrl: `${url}/ping`,
    postUrl: `${url}/post`,
    requests,
    pings: () => requests.filter((r) => r.path.endsWith('/ping')),
    posts: () => requests.filter((r) => r.path.endsWith('/post')),
    get sockets() {
      return socketCount;
    },
    get openSockets() {
      return openSockets;
    },
    setBehaviour(b) {
      current = b;
    },
    async close() {
      for (const t of timers) clearTimeout(t);
      timers.clear();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
    },
  };
}

/** A BuyerSpec pointing at a test buyer; `extra` overrides any part of it. */
export function buyerSpecFor(buyer: TestBuyer, id: string, extra: Partial<BuyerSpec> = {}): BuyerSpec {
  return {
    id,
    name: extra.name ?? `Buyer ${id}`,
    consentName: extra.consentName ?? extra.name ?? `Buyer ${id}`,
    ping: { url: buyer.pingUrl, timeoutMs: 1000 },
    post: { url: buyer.postUrl, timeoutMs: 2000 },
    ...extra,
  };
}

function answerPing(res: ServerResponse, b: BuyerBehaviour): void {
  const status = b.status ?? 200;
  if (status === 204) return send(res, 204, undefined, '');
  if (status < 200 || status > 299) return send(res, status, 'application/json', '{"error":"buyer failure"}');
  if (b.garbage) return send(res, 200, 'application/json', '<<<%%% not a bid %%%>>>');
  const answer: Record<string, string | number | boolean> = {};
  if (b.decline) answer.decline = true;
  else if (b.bid !== undefined && b.bid !== null) answer.bid = b.bid;
  if (b.token !== undefined && !b.decline) answer.token = b.token;
  encodeAnswer(res, b.format, answer);
}

function answerPost(res: ServerResponse, b: BuyerBehaviour, buyerRef: string): void {
  const status = b.postStatus ?? 200;
  if (status < 200 || status > 299) return send(res, status, 'application/json', '{"accepted":false,"reason":"buyer failure"}');
  if (b.postGarbage) return send(res, 200, 'text/html', '<html>oops');
  const accepted = b.postAccept !== false;
  encodeAnswer(res, b.format, accepted ? { accepted: true, buyer_ref: buyerRef } : { accepted: false, reason: b.postReason ?? 'rejected' });
}

function encodeAnswer(res: ServerResponse, format: BuyerBehaviour['format'], answer: Record<string, string | number | boolean>): void {
  if (format === 'xml') {
    const inner = Object.entries(answer)
      .map(([k, v]) => `<${k}>${escapeXml(String(v))}</${k}>`)
      .join('');
    return send(res, 200, 'application/xml', `<?xml version="1.0"?><response>${inner}</response>`);
  }
  if (format === 'form') {
    const body = new URLSearchParams(Object.entries(answer).map(([k, v]) => [k, String(v)])).toString();
    return send(res, 200, 'application/x-www-form-urlencoded', body);
  }
  send(res, 200, 'application/json', JSON.stringify(answer));
}

function send(res: ServerResponse, status: number, contentType: string | undefined, body: string): void {
  if (res.destroyed) return;
  if (contentType) res.setHeader('content-type', contentType);
  res.statusCode = status;
  res.end(body);
}

function parseRequestBody(req: IncomingMessage, raw: string): unknown {
  const type = req.headers['content-type'] ?? '';
  try {
    if (type.includes('json')) return JSON.parse(raw);
    if (type.includes('x-www-form-urlencoded')) return Object.fromEntries(new URLSearchParams(raw));
    if (type.includes('xml')) return xmlParser.parse(raw);
  } catch {
    // An unparseable body is kept raw; the test asserting on it will say so.
  }
  return raw;
}

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
