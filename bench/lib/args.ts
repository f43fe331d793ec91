import { parseArgs } from 'node:util';

export interface BenchArgs {
  /** Seconds of soak; when set, the run is the soak alone. */
  soak: number | null;
  rate: number | null;
  concurrency: number;
  warmupS: number;
  durationS: number;
  /** Leads each open-loop phase measures at least, so its p99 rests on tens of leads, not a handful. */
  openLeads: number;
  /** Extra alternating relay/engine closed-loop windows, for the throughput ratio's spread. */
  pairs: number;
  exchange: boolean;
  storeEvents: number;
  store: boolean;
  profile: boolean;
  alloc: boolean;
  keep: boolean;
  out: string | null;
}

export const USAGE = `npm run bench -- [options]
  (default)            exchange (raw relay, raw fan-out, engine) + store with 200k audit events, ~7 minutes
  --store              store part with 1,000,000 audit events (adds about a minute)
  --store-events N     store part with N audit events
  --no-store           skip the store part        --no-exchange   skip the exchange part
  --soak SECONDS       memory soak only: steady load, engine RSS sampled every 10 s (e.g. --soak 600)
  --rate N             open-loop leads/s (default: 50, 100 and half of the engine's
                       closed-loop rate; soak: 100)
  --concurrency N      leads in flight in the closed loop (default 32)
  --duration S         seconds measured per closed-loop phase (default 12)
  --open-leads N       leads measured at least per open-loop phase (default 2000: a p99
                       is then the 20th slowest lead; at 50 leads/s that is 40 s per system)
  --pairs N            after the closed loops, N more short relay/engine windows in
                       alternation (default 3; 0: none); the throughput verdict takes the
                       median ratio of all pairs, so one disturbed window does not decide it
  --warmup S           seconds of warm-up before each measurement (default 3)
  --profile            CPU-profile the engine's closed-loop window (bench/results/profiles/)
  --alloc              sample what the engine allocates per lead in its closed-loop window,
                       garbage included (bench/results/profiles/; the sampling costs CPU:
                       read throughput from a run without it)
  --keep               keep the temporary data folders
  --out FILE           results file (default bench/results/latest.json)`;

function positive(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`--${name} takes a positive number, not "${value}"`);
  return n;
}

export function parseBenchArgs(argv: string[]): BenchArgs | 'help' {
  const { values } = parseArgs({
    args: argv,
    options: {
      soak: { type: 'string' },
      rate: { type: 'string' },
      concurrency: { type: 'string' },
      duration: { type: 'string' },
      'open-leads': { type: 'string' },
      pairs: { type: 'string' },
      warmup: { type: 'string' },
      store: { type: 'boolean' },
      'store-events': { type: 'string' },
      'no-store': { type: 'boolean' },
      'no-exchange': { type: 'boolean' },
      profile: { type: 'boolean' },
      alloc: { type: 'boolean' },
      keep: { type: 'boolean' },
      out: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) return 'help';
  const soak = values.soak === undefined ? null : positive('soak', values.soak, 600);
  return {
    soak,
    rate: values.rate === undefined ? null : positive('rate', values.rate, 200),
    concurrency: Math.round(positive('concurrency', values.concurrency, 32)),
    warmupS: positive('warmup', values.warmup, 3),
    durationS: positive('duration', values.duration, 12),
    openLeads: Math.round(positive('open-leads', values['open-leads'], 2000)),
    pairs: values.pairs === '0' ? 0 : Math.round(positive('pairs', values.pairs, 3)),
    exchange: soak === null && !values['no-exchange'],
    storeEvents: Math.round(positive('store-events', values['store-events'], values.store ? 1_000_000 : 200_000)),
    store: soak === null && !values['no-store'],
    profile: values.profile === true,
    alloc: values.alloc === true,
    keep: values.keep === true,
    out: values.out ?? null,
  };
}
