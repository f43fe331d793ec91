import { Agent, request } from 'undici';
import { BENCH_SOURCE_KEY, benchLead, type BuyerEndpoint } from '../lib/bench-workspace.js';
import { childArgs, serveParent } from '../lib/child.js';
import { LoadRun, type LeadTask, type LoadPlan } from '../lib/load-driver.js';
import { pingThenPost, rawPool } from '../lib/raw-exchange.js';

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
  const pool = rawPool();
  return async (seq) => (await pingThenPost(pool, args.buyers, `B${seq}`, benchLead(seq, buyerIds, new Date().toISOString()))).status;
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
