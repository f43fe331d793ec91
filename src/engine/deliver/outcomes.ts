import type { EndpointAuth } from '../../shared/domain.js';
import type { Cents } from '../money.js';
import type { RuntimeBuyer } from '../workspace/runtime.js';
import { credentialHeaderNames } from './endpoint-headers.js';
import { parseBidResponse, parsePostResponse } from './parse-response.js';
import type { HttpRequestSpec } from './request.js';

/** What one HTTP exchange came to, before any buyer protocol is applied. */
export type SendResult =
  | { kind: 'response'; status: number; contentType: string | undefined; body: string; latencyMs: number }
  | { kind: 'timeout'; latencyMs: number }
  | { kind: 'unreachable'; reason: string; latencyMs: number }
  | { kind: 'error'; reason: string; latencyMs: number };

export type PingOutcome = 'BID' | 'NO_BID' | 'TIMEOUT' | 'LATE' | 'BAD_RESPONSE' | 'HTTP_ERROR' | 'UNREACHABLE';

export interface PingResult {
  buyerId: string;
  outcome: PingOutcome;
  /** Set only when outcome is BID. */
  bidCents: Cents | null;
  token: string | null;
  reason: string | null;
  httpStatus: number | null;
  latencyMs: number;
  /** Only with `capture` (the console's test ping); credentials are masked. */
  request?: HttpRequestSpec;
  responseBody?: string;
}

export type PostOutcome = 'ACCEPTED' | 'POST_REJECTED' | 'POST_TIMEOUT' | 'POST_ERROR';

export interface PostResult {
  buyerId: string;
  outcome: PostOutcome;
  reason: string | null;
  buyerRef: string | null;
  httpStatus: number | null;
  latencyMs: number;
}

const UNREACHABLE: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ENOTFOUND: 'host not found',
  EAI_AGAIN: 'host lookup failed',
  ECONNRESET: 'connection reset',
  ECONNABORTED: 'connection aborted',
  EPIPE: 'connection broken',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  ETIMEDOUT: 'connect timeout',
  UND_ERR_CONNECT_TIMEOUT: 'connect timeout',
  UND_ERR_SOCKET: 'connection closed by the buyer',
  UND_ERR_CLOSED: 'connection closed',
};

/** undici's error when an answer is longer than the dispatcher's `maxResponseSize`. */
const TOO_LARGE = 'UND_ERR_RES_EXCEEDED_MAX_SIZE';

/**
 * Transport failures where no answer came back are "unreachable"; an answer past the size limit is
 * "response too large"; anything else (a malformed HTTP answer) is an error.
 */
export function sendErrorOf(err: unknown, latencyMs: number): SendResult {
  const code = errorCode(err);
  if (code && UNREACHABLE[code]) return { kind: 'unreachable', reason: `${UNREACHABLE[code]} (${code})`, latencyMs };
  if (code === TOO_LARGE) return { kind: 'error', reason: 'response too large', latencyMs };
  const message = err instanceof Error ? err.message : String(err);
  return { kind: 'error', reason: code ? `${message} (${code})` : message, latencyMs };
}

/** Node and undici put the code on the error, its cause, or the first of an AggregateError's errors. */
function errorCode(err: unknown): string | undefined {
  for (let e: unknown = err, depth = 0; e && typeof e === 'object' && depth < 4; depth++) {
    const { code, cause, errors } = e as { code?: unknown; cause?: unknown; errors?: unknown };
    if (typeof code === 'string') return code;
    e = cause ?? (Array.isArray(errors) ? errors[0] : undefined);
  }
  return undefined;
}

type PingContext = { timeoutMs: number; lateByMs: number; capture: boolean; request?: HttpRequestSpec };

export function pingResultOf(buyer: RuntimeBuyer, sent: SendResult, ctx: PingContext): PingResult {
  switch (sent.kind) {
    case 'timeout':
      return pingResult(buyer, sent, ctx, 'TIMEOUT', `no answer within ${Math.round(ctx.timeoutMs)} ms`, null);
    case 'unreachable':
      return pingResult(buyer, sent, ctx, 'UNREACHABLE', sent.reason, null);
    case 'error':
      return sent.reason === 'aborted' ? pingResult(buyer, sent, ctx, 'TIMEOUT', 'aborted', null) : pingResult(buyer, sent, ctx, 'BAD_RESPONSE', sent.reason, null);
  }
  if (ctx.lateByMs > 0) return pingResult(buyer, sent, ctx, 'LATE', `answered ${ctx.lateByMs} ms after the deadline`, sent.status);
  const parsed = parseBidResponse(buyer, sent.status, sent.contentType, sent.body);
  if (parsed.outcome === 'BID') return pingResult(buyer, sent, ctx, 'BID', null, sent.status, parsed.bidCents, parsed.token);
  return pingResult(buyer, sent, ctx, parsed.outcome, parsed.reason, sent.status);
}

/** One literal per result (no spreads, no closure): this runs for every ping of every lead. */
function pingResult(buyer: RuntimeBuyer, sent: SendResult, ctx: PingContext, outcome: PingOutcome, reason: string | null, httpStatus: number | null, bidCents: Cents | null = null, token: string | null = null): PingResult {
  const r: PingResult = { buyerId: buyer.id, outcome, bidCents, token, reason, httpStatus, latencyMs: sent.latencyMs };
  if (ctx.request) r.request = ctx.request;
  if (ctx.capture && sent.kind === 'response') r.responseBody = sent.body;
  return r;
}

export function postResultOf(buyer: RuntimeBuyer, sent: SendResult, timeoutMs: number): PostResult {
  const base = { buyerId: buyer.id, buyerRef: null, httpStatus: null, latencyMs: sent.latencyMs };
  switch (sent.kind) {
    case 'timeout':
      return { ...base, outcome: 'POST_TIMEOUT', reason: `no answer within ${Math.round(timeoutMs)} ms` };
    case 'unreachable':
    case 'error':
      return { ...base, outcome: 'POST_ERROR', reason: sent.reason };
  }
  const parsed = parsePostResponse(buyer, sent.status, sent.contentType, sent.body);
  if (parsed.outcome === 'ACCEPTED') return { ...base, httpStatus: sent.status, outcome: 'ACCEPTED', reason: null, buyerRef: parsed.buyerRef };
  return { ...base, httpStatus: sent.status, outcome: parsed.outcome, reason: parsed.reason };
}

/** A copy of the request fit to show an operator: credential headers masked. */
export function redactCredentials(spec: HttpRequestSpec, auth: EndpointAuth | undefined): HttpRequestSpec {
  const headers = { ...spec.headers };
  for (const name of credentialHeaderNames(auth)) if (headers[name] !== undefined) headers[name] = '[redacted]';
  return { ...spec, headers };
}
