import { Agent, request } from 'undici';
import { BENCH_CAMPAIGN, BENCH_VERTICAL, PING_FIELDS, type BuyerEndpoint } from './bench-workspace.js';

/**
 * One lead's exchange done raw, with undici and nothing else: ping every buyer at once with the ping
 * fields, post the full record to the best bid. What the raw fan-out (bench/procs/load.ts) and the raw
 * relay (bench/procs/relay.ts) both do on the wire; no validation, storage, audit or deadlines.
 */

const JSON_HEADERS = { 'content-type': 'application/json' };

/** A pool with the engine Dispatcher's settings (src/engine/auction/dispatch.ts). */
export function rawPool(): Agent {
  return new Agent({ connections: 64, pipelining: 1, keepAliveTimeout: 10_000, keepAliveMaxTimeout: 60_000 });
}

export interface RawLead {
  fields: Record<string, unknown>;
  consent: unknown;
}

export async function pingThenPost(pool: Agent, buyers: readonly BuyerEndpoint[], leadId: string, lead: RawLead): Promise<{ status: 'sold' | 'unsold'; price?: number }> {
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
