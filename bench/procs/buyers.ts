import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { childArgs, serveParent } from '../lib/child.js';
import type { BuyerEndpoint } from '../lib/bench-workspace.js';

/**
 * Instant buyers speaking the native protocol (DESIGN.md §4), each on its own 127.0.0.1 port so the
 * engine keeps one connection pool per buyer as it would in production. A ping is answered with a
 * random bid of 5..50 dollars, a post with an acceptance, as soon as the body has arrived.
 */

const { count = 10 } = childArgs<{ count?: number }>();
const counts = { pings: 0, posts: 0, other: 0 };

function handle(id: string, req: IncomingMessage, res: ServerResponse): void {
  // The body is read in full before answering, as a real buyer would.
  req.on('data', () => undefined);
  req.on('end', () => {
    let body: string;
    if (req.url === '/ping') {
      counts.pings++;
      body = JSON.stringify({ bid: Math.round((5 + Math.random() * 45) * 100) / 100 });
    } else if (req.url === '/post') {
      counts.posts++;
      body = JSON.stringify({ accepted: true, buyer_ref: `${id}-${counts.posts}` });
    } else {
      counts.other++;
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) }).end(body);
  });
}

async function listen(id: string): Promise<{ server: Server; endpoint: BuyerEndpoint }> {
  const server = createServer((req, res) => handle(id, req, res));
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { server, endpoint: { id, pingUrl: `http://127.0.0.1:${port}/ping`, postUrl: `http://127.0.0.1:${port}/post` } };
}

const started = await Promise.all(Array.from({ length: count }, (_, i) => listen(`b${String(i + 1).padStart(2, '0')}`)));

serveParent(
  { counts: () => ({ ...counts }) },
  started.map((s) => s.endpoint),
  async () => {
    for (const s of started) s.server.closeAllConnections();
    await Promise.all(started.map((s) => new Promise((resolve) => s.server.close(resolve))));
  },
);
