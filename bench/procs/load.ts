import { Agent, request } from 'undici';
import { BENCH_CAMPAIGN, BENCH_SOURCE_KEY, BENCH_VERTICAL, PING_FIELDS, benchLead, type BuyerEndpoint } from '../lib/bench-workspace.js';
import { childArgs, serveParent } from '../lib/child.js';
import { LoadRun, type LeadTask, type LoadPlan } from '../lib/load-driver.js';

/**
 * The load generator, in its own process. Two kinds of work, driven by the same load plans:
 * - `engine`: one lead = one `POST /v1/leads` to the engine's intake; the answer ends it.
 * - `relay`: the same, to the raw relay (bench/procs/relay.ts): the fair baseline of DESIGN.md §6.
 * - `baseline` (raw fan-out): one lead = what the engine does on the wire, done raw with undici and nothing else:
 *   ping all buyers at once with the ping fields, then post the full record to the best bid.
 *   No validation, storage, audit or deadlines: the ceiling the engine is compared against.
 */

interface Args {
  /** `relay`: the same requests as `engine`, sent to the raw relay (bench/procs/relay.ts). */
  mode: 'engine' | 'relay' | 'baseline';
  buyers: BuyerEndpoint[];
  intakeUrl?: string;
}

const args = childArgs<Args>();
const buyerIds = args.buyers.map((b) => b.id);
const JSON_HEADERS = { 'content-type': 'application/json' };

function engineTask(intakeUrl: string): LeadTask {
  // One socket per lead in flight, kept alive, as a busy lead source would.
  const pool = new Agent({ connections: 1024, pipelining: 1, keepAliveTimeout: 60_000, keepAliveMaxTimeout: 600_000 });
  const url = `${intakeUrl}/v1/leads`;
  const headers = { ...JSON_HEADERS, authorization: `Bearer ${BENCH_SOURCE_KEY}` };
  return async (seq) => {
    const body = JSON.stringify(benchLead(seq, buyerIds, new Date().toISOString()));
    const res = await request(url, { dispatcher: pool, method: 'POST', headers, body });
    const answer = (await res.body.json()) as { status?: string; error?: string };
    if (res.statusCode !== 200) return `http_${res.statusCode}:${answer.error ?? ''}`;
    return answer.status ?? 'http_200:no status';
  };
}

function baselineTask(): LeadTask {
  // The same connection-pool settings as the engine's Dispatcher (src/engine/auction/dispatch.ts).
  const pool = new Agent({ connections: 64, pipelining: 1, keepAliveTimeout: 10_000, keepAliveMaxTimeout: 60_000 });
  return async (seq) => {
    const lead = benchLead(seq, buyerIds, new Date().toISOString());
    const leadId = `B${seq}`;
    const pingFields: Record<string, unknown> = {};
    for (const f of PING_FIELDS) pingFields[f] = lead.fields[f];
    const bids = await Promise.all(
      args.buyers.map(async (b) => {
        const body = JSON.stringify({ ping_id: `${leadId}.${b.id}`, campaign: BENCH_CAMPAIGN, vertical: BENCH_VERTICAL, fields: pingFields });
        const res = await request(b.pingUrl, { dispatcher: pool, method: 'POST', headers: JSON_HEADERS, body });
        const answer = (await res.body.json()) as { bid?: unknown };
        return { buyer: b, cents: res.statusCode === 200 && typeof answer.bid === 'number' ? Math.round(answer.bid * 100) : 0 };
      }),
    );
    let best = bids[0];
    for (const bid of bids) if (bid.cents > best.cents) best = bid;
    if (!best || best.cents <= 0) return 'unsold';
    const body = JSON.stringify({ ping_id: `${leadId}.${best.buyer.id}`, lead_id: leadId, token: null, price: best.cents / 100, lead: lead.fields, consent: lead.consent });
    const res = await request(best.buyer.postUrl, { dispatcher: pool, method: 'POST', headers: JSON_HEADERS, body });
    const answer = (await res.body.json()) as { accepted?: unknown };
    return res.statusCode === 200 && answer.accepted === true ? 'sold' : 'unsold';
  };
}

const task: LeadTask = args.mode === 'baseline' ? baselineTask() : engineTask(args.intakeUrl ?? '');
let current: LoadRun | null = null;

serveParent(
  {
    run: (plan: LoadPlan) => {
      current = new LoadRun(plan, task);
      return current.result;
    },
    progress: () => current?.progress() ?? { completed: 0, outcomes: {} },
  },
  { mode: args.mode },
);
