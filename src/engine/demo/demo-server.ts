import { createServer } from 'node:http';
import type { IncomingHttpHeaders, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { XMLParser } from 'fast-xml-parser';

export interface DemoAnswer {
  status?: number;
  contentType?: string;
  body: string;
  delayMs?: number;
}

export type DemoHandler = (kind: 'ping' | 'post', body: unknown, headers: IncomingHttpHeaders) => DemoAnswer;

export interface DemoServer {
  url: string;
  close(): Promise<void>;
}

const MAX_BODY = 256 * 1024;
const xmlParser = new XMLParser({ parseTagValue: false });

/** A stand-in buyer endpoint: `/ping` and `/post` answered by `handler`, after its delay. */
export async function startDemoServer(host: string, port: number, handler: DemoHandler): Promise<DemoServer> {
  const timers = new Set<NodeJS.Timeout>();
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size <= MAX_BODY) chunks.push(c);
    });
    req.on('end', () => {
      const path = (req.url ?? '/').split('?')[0];
      const kind = path.endsWith('/ping') ? 'ping' : path.endsWith('/post') ? 'post' : null;
      if (!kind || req.method !== 'POST' || size > MAX_BODY) return reply(res, { status: kind ? 400 : 404, contentType: 'application/json', body: '{"error":"bad request"}' });
      const answer = handler(kind, parseBody(req.headers['content-type'], Buffer.concat(chunks).toString('utf8')), req.headers);
      if (!answer.delayMs) return reply(res, answer);
      const timer = setTimeout(() => {
        timers.delete(timer);
        reply(res, answer);
      }, answer.delayMs);
      timers.add(timer);
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const address = server.address() as AddressInfo;
  return {
    url: `http://${host}:${address.port}`,
    async close() {
      for (const t of timers) clearTimeout(t);
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
    },
  };
}

function reply(res: ServerResponse, answer: DemoAnswer): void {
  if (res.destroyed) return;
  res.statusCode = answer.status ?? 200;
  if (answer.contentType) res.setHeader('content-type', answer.contentType);
  res.end(answer.body);
}

function parseBody(contentType: string | undefined, text: string): unknown {
  const type = contentType ?? '';
  try {
    if (type.includes('json')) return JSON.parse(text) as unknown;
    if (type.includes('xml')) return xmlParser.parse(text) as unknown;
    if (type.includes('x-www-form-urlencoded')) return Object.fromEntries(new URLSearchParams(text));
  } catch {
    // A demo buyer treats an unreadable body like an empty one and declines.
  }
  return {};
}
