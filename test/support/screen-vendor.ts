import { createServer } from 'node:http';
import type { IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A screening vendor on 127.0.0.1 that speaks a vendor's documented shape (TrustedForm claim,
 * Trestle phone_intel, IPQS ip lookup): each test says what it answers, and every request is recorded.
 */
export interface VendorAnswer {
  status?: number;
  /** An object is sent as JSON; a string as is. */
  body?: unknown;
  /** Never answer; the socket stays open until the server closes. */
  hang?: boolean;
}

export interface VendorRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  raw: string;
}

export interface TestVendor {
  url: string;
  requests: VendorRequest[];
  answer(a: VendorAnswer | ((req: VendorRequest) => VendorAnswer)): void;
  close(): Promise<void>;
}

export async function startVendor(first: VendorAnswer | ((req: VendorRequest) => VendorAnswer)): Promise<TestVendor> {
  let current = first;
  const requests: VendorRequest[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const recorded: VendorRequest = { method: req.method ?? 'GET', path: req.url ?? '/', headers: req.headers, raw: Buffer.concat(chunks).toString('utf8') };
      requests.push(recorded);
      const a = typeof current === 'function' ? current(recorded) : current;
      if (a.hang) return;
      const body = typeof a.body === 'string' ? a.body : JSON.stringify(a.body ?? {});
      res.writeHead(a.status ?? 200, { 'content-type': 'application/json; charset=utf-8' });
      res.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    answer(a) {
      current = a;
    },
    async close() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
    },
  };
}

/** Documented answers (TrustedForm Retain v4, Trestle Phone Validation 3.0, IPQS Proxy & VPN Detection). */
export const vendorAnswers = {
  trustedformRetained: { status: 200, body: { outcome: 'success', retain: { results: { expires_at: '2027-11-27T15:04:05Z' } } } },
  trustedformNotRetained: { status: 200, body: { outcome: 'failure', reason: 'Certificate was not found for Ana Diaz +15125550142' } },
  trestle: (activityScore: number, isValid = true) => ({
    status: 200,
    body: { id: 'Phone.3dbb6fef-a2df-4b08-cfe3-bc7128b6f5b4', phone_number: '2069735100', is_valid: isValid, activity_score: activityScore, country_calling_code: '1', country_code: 'US', country_name: 'United States', line_type: 'NonFixedVOIP', carrier: 'Level 3 Communications, LLC', is_prepaid: false, warnings: [] },
  }),
  ipqs: (fraudScore: number, extra: Record<string, unknown> = {}) => ({
    status: 200,
    body: { success: true, message: 'Success.', fraud_score: fraudScore, country_code: 'US', region: 'Texas', city: 'Austin', ISP: 'Example ISP', ASN: 64500, proxy: false, vpn: false, tor: false, recent_abuse: false, bot_status: false, request_id: 'abc123', ...extra },
  }),
} as const;
