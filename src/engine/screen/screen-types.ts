/**
 * Pre-ping screening: third-party checks of a lead (consent certificate, phone, fraud score) that run
 * after validation, suppression and the duplicate check and before any buyer hears of the lead.
 * Adapters (one file per vendor) build requests and read answers and never do I/O; `screen-lead.ts`
 * sends them. Results carry codes and numbers only, never a vendor's free text or contact data.
 */
export const SCREEN_VENDORS = ['trustedform', 'trestle', 'ipqs'] as const;
export type ScreenVendor = (typeof SCREEN_VENDORS)[number];

/** What a rule does with a lead that fails it (`action`) or whose vendor did not answer usably (`onError`). */
export type ScreenAction = 'reject' | 'flag';

/**
 * PASS: the vendor answered and the lead meets the rule. FAIL: it answered and the lead does not
 * (or the input the vendor needs is missing). TIMEOUT: no answer within the rule's time budget.
 * ERROR: a non-2xx status, a connection error or an answer that cannot be read.
 */
export type ScreenOutcome = 'PASS' | 'FAIL' | 'TIMEOUT' | 'ERROR';

/** What the engine did because of one result: nothing, a flag on the lead, or a refusal. */
export type ScreenVerdict = 'pass' | 'flag' | 'reject';

/** One configured rule as the stage runs it (compiled from the campaign's `screening` entry). */
export interface ScreenRule {
  type: ScreenVendor;
  /** The vendor's base URL (the real one unless the workspace overrides it). */
  url: string;
  apiKey: string | null;
  action: ScreenAction;
  onError: ScreenAction;
  timeoutMs: number;
  minActivityScore?: number;
  maxFraudScore?: number;
}

/** A vendor request described as data. */
export interface ScreenRequest {
  url: string;
  method: 'GET' | 'POST';
  headers: Record<string, string>;
  body?: string;
}

/** What an adapter reads from an answer: the outcome, a stable code and, where the vendor gives one, a score. */
export interface ScreenReading {
  outcome: 'PASS' | 'FAIL' | 'ERROR';
  code: string;
  score: number | null;
}

export interface ScreenResult {
  vendor: ScreenVendor;
  outcome: ScreenOutcome;
  /** A stable upper-case code (OK, LOW_ACTIVITY, HIGH_FRAUD_SCORE, HTTP_500, UNREADABLE, TIMEOUT, …). */
  code: string;
  score: number | null;
  httpStatus: number | null;
  latencyMs: number;
  verdict: ScreenVerdict;
}

/** The lead's values an adapter may need; never stored by the stage. */
export interface ScreenInput {
  leadId: string;
  phone: string | null;
  ip: string | null;
  certUrl: string | null;
}

/** Either a request to send, or a reading decided without asking (the input the vendor needs is missing). */
export type ScreenPlan = { request: ScreenRequest } | { reading: ScreenReading };

export interface ScreenAdapter {
  plan(rule: ScreenRule, input: ScreenInput): ScreenPlan;
  read(rule: ScreenRule, status: number, body: string): ScreenReading;
}

/** Reads a JSON object, or null when the body is not one. */
export function jsonObject(body: string): Record<string, unknown> | null {
  try {
    const v: unknown = JSON.parse(body);
    return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

export function httpError(status: number): ScreenReading {
  return { outcome: 'ERROR', code: `HTTP_${status}`, score: null };
}

export const UNREADABLE: ScreenReading = { outcome: 'ERROR', code: 'UNREADABLE', score: null };
