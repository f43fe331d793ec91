import { AUTO_INSURANCE } from '../../src/engine/demo/demo-workspace.js';
import type { Workspace } from '../../src/shared/domain.js';

export const BENCH_CAMPAIGN = 'bench-auto';
export const BENCH_VERTICAL = 'auto-insurance';
export const BENCH_SOURCE_KEY = 'src_bench_key_0001';
export const PING_FIELDS = ['state', 'zip', 'age', 'vehicle_year'] as const;

export interface BuyerEndpoint {
  id: string;
  pingUrl: string;
  postUrl: string;
}

export const buyerConsentName = (id: string): string => `Bench Buyer ${id}`;

/**
 * DESIGN.md §4's auto-insurance campaign, one tier holding every bench buyer, and
 * timeouts generous enough that an instant buyer never times out on a busy 2-core machine: the bench
 * measures the engine's own cost, not its deadline handling. The source limit is lifted so the
 * rate limiter never refuses (it still runs on every lead).
 */
export function benchWorkspace(buyers: BuyerEndpoint[]): Workspace {
  return {
    version: 1,
    campaigns: [{
      ...AUTO_INSURANCE,
      id: BENCH_CAMPAIGN,
      name: 'Bench auto insurance',
      vertical: BENCH_VERTICAL,
      pingFields: [...PING_FIELDS],
      pingTimeoutMs: 10_000,
      postTimeoutMs: 15_000,
      tiers: [{ name: 'Tier 1', floor: 5, buyers: buyers.map((b) => b.id) }],
    }],
    sources: [{ id: 'bench-source', name: 'Bench source', apiKey: BENCH_SOURCE_KEY, campaigns: [BENCH_CAMPAIGN], rateLimitPerMinute: 1_000_000_000 }],
    buyers: buyers.map((b) => ({
      id: b.id,
      name: buyerConsentName(b.id),
      consentName: buyerConsentName(b.id),
      ping: { url: b.pingUrl, timeoutMs: 10_000 },
      post: { url: b.postUrl, timeoutMs: 15_000 },
    })),
  };
}

export interface BenchLeadBody {
  campaign: string;
  fields: { first_name: string; last_name: string; phone: string; email: string; state: string; zip: string; age: number; vehicle_year: number };
  consent: { text: string; captured_at: string; ip: string; page_url: string; trustedform_cert_url: string; sellers: string[] };
  test: false;
}

const AREAS = ['512', '214', '713', '415', '213', '718', '305', '602', '614', '404', '206', '312', '303'];
const STATES = ['TX', 'TX', 'TX', 'CA', 'CA', 'NY', 'FL', 'AZ', 'OH', 'GA', 'WA', 'IL', 'CO'];
const ZIPS = ['78701', '75201', '77002', '94103', '90012', '11201', '33130', '85004', '43215', '30303', '98101', '60601', '80202'];
const PER_AREA = 800 * 10_000;

/**
 * Phone and email of lead `seq`: unique for the first 100M sequence numbers, so the duplicate
 * check (which runs on every lead) never refuses one. The numbers pass libphonenumber's validation.
 */
export function benchContact(seq: number): { phone: string; email: string; state: string; zip: string } {
  const area = Math.floor(seq / PER_AREA) % AREAS.length;
  const rest = seq % PER_AREA;
  const exchange = 200 + Math.floor(rest / 10_000);
  const line = String(rest % 10_000).padStart(4, '0');
  return { phone: `+1${AREAS[area]}${exchange}${line}`, email: `lead${seq}@example.com`, state: STATES[area], zip: ZIPS[area] };
}

/** The intake body of lead `seq`, consent naming every bench buyer. */
export function benchLead(seq: number, buyerIds: string[], capturedAt: string): BenchLeadBody {
  const c = benchContact(seq);
  return {
    campaign: BENCH_CAMPAIGN,
    fields: { first_name: 'Ana', last_name: 'Diaz', phone: c.phone, email: c.email, state: c.state, zip: c.zip, age: 18 + (seq % 60), vehicle_year: 2005 + (seq % 21) },
    consent: {
      text: `By clicking Get Quotes I agree to be contacted by ${buyerIds.map(buyerConsentName).join(', ')} about auto insurance.`,
      captured_at: capturedAt,
      ip: '203.0.113.7',
      page_url: 'https://quotes.example/auto',
      trustedform_cert_url: 'https://cert.trustedform.com/0123456789abcdef0123456789abcdef01234567',
      sellers: buyerIds.map(buyerConsentName),
    },
    test: false,
  };
}
