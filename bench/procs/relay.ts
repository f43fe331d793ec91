import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { BuyerEndpoint } from '../lib/bench-workspace.js';
import { childArgs, processStats, serveParent } from '../lib/child.js';
import { summariseLoopDelay } from '../lib/latency.js';
import { pingThenPost, rawPool, type RawLead } from '../lib/raw-exchange.js';

/**
 * The raw relay of DESIGN.md §6: the least work a ping-post exchange can be done with. A bare
 * `node:http` server that receives the lead (`POST /v1/leads`, the same body the engine gets),
 * pings every buyer at once with the ping fields over undici, posts the full record to the best
 * bid and answers the lead source. No validation, storage, audit, deadlines or metrics. It runs in
 * its own process like the engine, so the lead source pays the same inbound hop to both.
 */

const { buyers } = childArgs<{ buyers: BuyerEndpoint[] }>();
const pool = rawPool();
let nextLead = 0;

function relay(lead: RawLead): Promise<{ status: 'sold' | 'unsold'; price?: number }> {
  return pingThenPost(pool, buyers, `R${++nextLead}`, lead);
}

function answer(res: ServerResponse, status: number, value: unknown): void {
  const body = JSON.stringify(value);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) }).end(body);
}

function handle(req: IncomingMessage, res: ServerResponse): void {
  if (req.method !== 'POST' || req.url !== '/v1/leads') {
    answer(res, 404, { error: 'not_found' });
    return;
  }
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    let lead: RawLead;
    try {
      lead = JSON.parse(Buffer.concat(chunks).toString('utf8')) as RawLead;
    } catch {
      answer(res, 400, { error: 'bad_json' });
      return;
    }
    relay(lead).then(
      (r) => answer(res, 200, r),
      (err: unknown) => answer(res, 502, { error: err instanceof Error ? err.message : String(err) }),
    );
  });
}

const server = createServer(handle);
server.keepAliveTimeout = 65_000;
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
const { port } = server.address() as AddressInfo;
const eld = monitorEventLoopDelay({ resolution: 10 });
eld.enable();

serveParent(
  {
    'eld.reset': () => {
      eld.reset();
      return null;
    },
    sample: () => ({ eld: summariseLoopDelay(eld, 10), process: processStats() }),
  },
  { intakeUrl: `http://127.0.0.1:${port}`, pid: process.pid },
  async () => {
    eld.disable();
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    await pool.close();
  },
);
