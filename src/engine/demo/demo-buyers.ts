import type { BuyerSpec, EndpointSpec } from '../../shared/domain.js';
import { DEMO_AUTO_SELLERS, DEMO_HARBOR_KEY, DEMO_HOME_SELLERS, DEMO_HOMEPRO_TOKEN } from './demo-names.js';
import type { DemoAnswer, DemoHandler, DemoServer } from './demo-server.js';
import { startDemoServer } from './demo-server.js';

export { demoWorkspace } from './demo-workspace.js';
export { demoLead } from './demo-lead.js';
export { DEMO_SOURCE_KEY } from './demo-names.js';

export interface DemoBuyers {
  buyers: BuyerSpec[];
  close(): Promise<void>;
}

type Rng = () => number;
type Endpoint = Omit<EndpointSpec, 'url'>;

interface DemoBuyerDef {
  spec: Omit<BuyerSpec, 'ping' | 'post'>;
  /** Absent: a fixed-price buyer, posted to but never pinged. */
  ping?: Endpoint;
  post: Endpoint;
  answer(rng: Rng): DemoHandler;
}

const json = (value: unknown, delayMs?: number, status = 200): DemoAnswer => ({ status, contentType: 'application/json', body: JSON.stringify(value), delayMs });
const dollars = (rng: Rng, min: number, max: number) => Math.round((min + rng() * (max - min)) * 100) / 100;
const ms = (rng: Rng, min: number, max: number) => Math.round(min + rng() * (max - min));
const token = (rng: Rng, prefix: string) => `${prefix}-${Math.floor(rng() * 36 ** 6).toString(36).padStart(6, '0')}`;

function field(body: unknown, name: string): unknown {
  const fields = (body as { fields?: Record<string, unknown> } | null)?.fields;
  return fields?.[name];
}

/** A plain native-protocol buyer: bids in [min, max] after a delay, accepts posts at `acceptRate`. */
function nativeAnswer(opts: { min: number; max: number; delay: [number, number]; noBidRate?: number; acceptRate?: number; prefix: string }) {
  return (rng: Rng): DemoHandler =>
    (kind) => {
      if (kind === 'post') {
        if (rng() < (opts.acceptRate ?? 0.97)) return json({ accepted: true, buyer_ref: token(rng, opts.prefix.toUpperCase()) }, ms(rng, 30, 120));
        return json({ accepted: false, reason: 'phone failed verification' }, ms(rng, 30, 120));
      }
      if (rng() < (opts.noBidRate ?? 0.05)) return json({ bid: 0 }, ms(rng, ...opts.delay));
      return json({ bid: dollars(rng, opts.min, opts.max), token: token(rng, opts.prefix) }, ms(rng, ...opts.delay));
    };
}

const BOLT_STATES = new Set(['TX', 'CA', 'FL', 'NY']);
const PICKY_REASONS = ['duplicate in our system', 'phone failed verification', 'outside our service area'];

const DEFS: DemoBuyerDef[] = [
  {
    spec: { id: 'demo-acme', name: 'Acme Insurance', consentName: DEMO_AUTO_SELLERS['demo-acme'], apiKey: 'buy_demo_acme_key', priority: 2, caps: { hourly: 500, daily: 5000, dailyBudget: 50000 } },
    ping: { timeoutMs: 250 },
    post: { timeoutMs: 1500 },
    answer: nativeAnswer({ min: 18, max: 42, delay: [20, 80], prefix: 'acme' }),
  },
  {
    spec: { id: 'demo-bolt', name: 'Bolt Auto', consentName: DEMO_AUTO_SELLERS['demo-bolt'], apiKey: 'buy_demo_bolt_key', caps: { daily: 2000 } },
    ping: { timeoutMs: 250 },
    post: { timeoutMs: 1500 },
    answer: (rng) => {
      const base = nativeAnswer({ min: 20, max: 36, delay: [15, 50], prefix: 'bolt' })(rng);
      return (kind, body, headers) => {
        if (kind === 'ping' && !BOLT_STATES.has(String(field(body, 'state')))) return json({ decline: true, reason: 'out of state' }, ms(rng, 5, 20));
        return base(kind, body, headers);
      };
    },
  },
  {
    spec: { id: 'demo-slowpoke', name: 'Slowpoke Mutual', consentName: DEMO_AUTO_SELLERS['demo-slowpoke'], apiKey: 'buy_demo_slowpoke_key' },
    ping: { timeoutMs: 290 },
    post: { timeoutMs: 2000 },
    answer: nativeAnswer({ min: 24, max: 48, delay: [170, 270], prefix: 'slow' }),
  },
  {
    spec: { id: 'demo-flaky', name: 'Flaky Direct', consentName: DEMO_AUTO_SELLERS['demo-flaky'], apiKey: 'buy_demo_flaky_key' },
    ping: { timeoutMs: 250 },
    post: { timeoutMs: 1500 },
    answer: (rng) => {
      const base = nativeAnswer({ min: 12, max: 28, delay: [30, 90], prefix: 'flaky' })(rng);
      // About one ping in six is answered long after any deadline.
      return (kind, body, headers) => {
        const answer = base(kind, body, headers);
        return kind === 'ping' && rng() < 0.15 ? { ...answer, delayMs: 900 } : answer;
      };
    },
  },
  {
    spec: { id: 'demo-picky', name: 'Picky Carriers', consentName: DEMO_AUTO_SELLERS['demo-picky'], apiKey: 'buy_demo_picky_key', caps: { daily: 300 } },
    ping: { timeoutMs: 250 },
    post: { timeoutMs: 1500 },
    answer: (rng) => {
      const base = nativeAnswer({ min: 10, max: 22, delay: [20, 60], prefix: 'picky', acceptRate: 1 })(rng);
      return (kind, body, headers) => {
        if (kind === 'post' && rng() < 0.2) return json({ accepted: false, reason: PICKY_REASONS[Math.floor(rng() * PICKY_REASONS.length)] }, ms(rng, 40, 150));
        return base(kind, body, headers);
      };
    },
  },
  {
    spec: { id: 'demo-harbor', name: 'Harbor Insurance Group', consentName: DEMO_AUTO_SELLERS['demo-harbor'], apiKey: 'buy_demo_harbor_key' },
    ping: {
      timeoutMs: 250,
      auth: { type: 'header', header: 'X-Api-Key', value: DEMO_HARBOR_KEY },
      template: {
        format: 'xml',
        root: 'LeadPing',
        fields: { PingId: '$ping_id', State: 'state', ZipCode: 'zip', Age: 'age', VehicleYear: 'vehicle_year', IsTest: '$test' },
        static: { SourceCode: 'PDK' },
        response: { format: 'xml', bidPath: 'PingResponse.Bid', tokenPath: 'PingResponse.Token', reasonPath: 'PingResponse.Message' },
      },
    },
    post: {
      timeoutMs: 2000,
      auth: { type: 'header', header: 'X-Api-Key', value: DEMO_HARBOR_KEY },
      template: {
        format: 'xml',
        root: 'LeadPost',
        fields: {
          PingId: '$ping_id', Token: '$token', Price: '$price', LeadId: '$lead_id',
          'Contact.FirstName': 'first_name', 'Contact.LastName': 'last_name', 'Contact.Phone': 'phone', 'Contact.Email': 'email',
          State: 'state', ZipCode: 'zip', Age: 'age', VehicleYear: 'vehicle_year',
          'Consent.Text': 'consent.text', 'Consent.CapturedAt': 'consent.captured_at', 'Consent.CertUrl': 'consent.trustedform_cert_url',
        },
        response: { format: 'xml', acceptedPath: 'PostResponse.Status', acceptedValue: 'Accepted', reasonPath: 'PostResponse.Message', buyerRefPath: 'PostResponse.LeadRef' },
      },
    },
    answer: (rng) => (kind, _body, headers) => {
      const xml = (inner: string, delayMs: number): DemoAnswer => ({ contentType: 'application/xml', body: `<?xml version="1.0"?>${inner}`, delayMs });
      if (headers['x-api-key'] !== DEMO_HARBOR_KEY) return { status: 401, contentType: 'application/xml', body: '<Error>bad key</Error>' };
      if (kind === 'post') {
        if (rng() < 0.1) return xml('<PostResponse><Status>Rejected</Status><Message>Duplicate lead</Message></PostResponse>', ms(rng, 50, 200));
        return xml(`<PostResponse><Status>Accepted</Status><LeadRef>${token(rng, 'HBR')}</LeadRef></PostResponse>`, ms(rng, 50, 200));
      }
      if (rng() < 0.1) return xml('<PingResponse><Bid>0</Bid><Message>No appetite</Message></PingResponse>', ms(rng, 40, 120));
      return xml(`<PingResponse><Bid>${dollars(rng, 15, 38).toFixed(2)}</Bid><Token>${token(rng, 'hbr')}</Token></PingResponse>`, ms(rng, 40, 120));
    },
  },
  {
    spec: { id: 'demo-budget', name: 'Budget Leads Co', consentName: DEMO_AUTO_SELLERS['demo-budget'], apiKey: 'buy_demo_budget_key', fixedPrice: 8, caps: { daily: 1000 } },
    post: { timeoutMs: 1500 },
    answer: (rng) => (kind) => (kind === 'post' ? json({ accepted: true, buyer_ref: token(rng, 'BUD') }, ms(rng, 20, 60)) : json({ error: 'fixed price only' }, 0, 404)),
  },
  {
    spec: { id: 'demo-homepro', name: 'HomePro Network', consentName: DEMO_HOME_SELLERS['demo-homepro'], apiKey: 'buy_demo_homepro_key', caps: { hourly: 200 } },
    ping: {
      timeoutMs: 350,
      auth: { type: 'bearer', token: DEMO_HOMEPRO_TOKEN },
      template: {
        format: 'json',
        fields: { request_id: '$ping_id', 'project.service': 'service', 'project.timeline': 'timeline', 'location.state': 'state', 'location.zip': 'zip', owner: 'homeowner' },
        response: { bidPath: 'result.price', tokenPath: 'result.quote_id', reasonPath: 'result.message' },
      },
    },
    post: {
      timeoutMs: 2000,
      auth: { type: 'bearer', token: DEMO_HOMEPRO_TOKEN },
      template: { format: 'json', response: { acceptedPath: 'status', reasonPath: 'error', buyerRefPath: 'lead_ref' } },
    },
    answer: (rng) => (kind, body, headers) => {
      if (headers.authorization !== `Bearer ${DEMO_HOMEPRO_TOKEN}`) return json({ error: 'unauthorized' }, 0, 401);
      if (kind === 'post') return json({ status: 'ok', lead_ref: token(rng, 'HP') }, ms(rng, 40, 160));
      if ((body as { owner?: unknown } | null)?.owner === false) return json({ result: { price: 0, message: 'homeowners only' } }, ms(rng, 20, 60));
      return json({ result: { price: dollars(rng, 10, 25), quote_id: token(rng, 'hp') } }, ms(rng, 40, 160));
    },
  },
];

/**
 * Starts the demo buyers on `host` (default 127.0.0.1), one server each, on consecutive ports from
 * `basePort` (0: any free ports). The returned specs point at them and are ready for a workspace.
 */
export async function startDemoBuyers(opts: { host?: string; basePort?: number; rng?: Rng } = {}): Promise<DemoBuyers> {
  const host = opts.host ?? '127.0.0.1';
  const rng = opts.rng ?? Math.random;
  const servers: DemoServer[] = [];
  const buyers: BuyerSpec[] = [];
  try {
    for (const [i, def] of DEFS.entries()) {
      const server = await startDemoServer(host, opts.basePort ? opts.basePort + i : 0, def.answer(rng));
      servers.push(server);
      buyers.push({
        ...def.spec,
        ...(def.ping ? { ping: { url: `${server.url}/ping`, ...def.ping } } : {}),
        post: { url: `${server.url}/post`, ...def.post },
      });
    }
  } catch (err) {
    await Promise.all(servers.map((s) => s.close()));
    throw err;
  }
  return { buyers, close: async () => void (await Promise.all(servers.map((s) => s.close()))) };
}
