import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { Agent, request } from 'undici';
import { BENCH_CAMPAIGN, BENCH_VERTICAL, PING_FIELDS, type BuyerEndpoint } from '../lib/bench-workspace.js';
import { childArgs, processStats, serveParent } from '../lib/child.js';
import { summariseLoopDelay } from '../lib/latency.js';

/**
 * The raw relay of DESIGN.md §6: the least work a ping-post exchange can be done with. A bare
 * `node:http` server that receives the lead (`POST /v1/leads`, the same body the engine gets),
 * pings every buyer at once with the ping fields over undici, posts the full record to the best
 * bid and answers the lead source. No validation, storage, audit, deadlines or metrics. It runs in
 * its own process like the engine, so the lead source pays the same inbound hop to both.
 */

const { buyers } = childArgs<{ buyers: BuyerEndpoint[] }>();
// The same connection-pool settings as the engine's Dispatcher (src/engine/auction/dispatch.ts).
const pool = new Agent({ connections: 64, pipelining: 1, keepAliveTimeout: 10_000, keepAliveMaxTimeout: 60_000 });
const JSON_HEADERS = { 'content-type': 'application/json' };
let nextLead = 0;

interface LeadBody {
  fields: Record<string, unknown>;
  consent: unknown;
}

async function relay(lead: LeadBody): Promise<{ status: 'sold' | 'unsold'; price?: number }> {
  const leadId = `R${++nextLead}`;
  const pingFields: Record<string, unknown> = {};
  for (const f of PING_FIELDS) pingFields[f] = lead.fields[f];
  const bids = await Promise.all(
    buyers.map(async (b) => {
      const body = JSON.stringify({ ping_id: `${leadId}.${b.id}`, campaign: BENCH_CAMPAIGN, vertical: BENCH_VERTICAL, fields: pingFields });
      const res = await request(b.pingUrl, { dispatcher: pool, method: 'POST', headers: JSON_HEADERS, body });
      const answer = (await res.body.json()) as { bid?: unknown };
      return { buyer: b, cents: res.statusCode === 200 && typeof answer.bid === 'number' ? Math.round(answer.bid * 100) : 0 };
    }),
  );
  let best = bids[0];
  for (const bid of bids) if (bid.cents > best.cents) best = bid;
  if (!best || best.cents <= 0) return { status: 'unsold' };
  const body = JSON.stringify({ ping_id: `${leadId}.${best.buyer.id}`, lead_id: leadId, token: null, price: best.cents / 100, lead: lead.fields, consent: lead.consent });
  const res = await request(best.buyer.postUrl, { dispatcher: pool, method: 'POST', headers: JSON_HEADERS, body });
  const answer = (await res.body.json()) as { accepted?: unknown };
  return res.statusCode === 200 && answer.accepted === true ? { status: 'sold', price: best.cents / 100 } : { status: 'unsold' };
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
    let lead: LeadBody;
    try {
      lead = JSON.parse(Buffer.concat(chunks).toString('utf8')) as LeadBody;
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
