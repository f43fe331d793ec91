import { channel } from 'node:diagnostics_channel';
import { setMaxListeners } from 'node:events';
import { Agent } from 'undici';
import { BoundedMemo } from '../bounded-memo.js';
import { exchangeText } from './exchange-text.js';
import type { HttpRequestSpec } from '../deliver/request.js';
import type { RuntimeBuyer } from '../workspace/runtime.js';
import type { PingResult, PostResult, SendResult } from '../deliver/outcomes.js';
import { pingResultOf, postResultOf, redactCredentials, sendErrorOf } from '../deliver/outcomes.js';

export type { PingOutcome, PingResult, PostOutcome, PostResult, SendResult } from '../deliver/outcomes.js';

export interface DispatcherOptions {
  now?: () => number;
  connectTimeoutMs?: number;
  /** Sockets per buyer origin; requests beyond it queue, and the queueing counts against the timeout. */
  connections?: number;
  keepAliveTimeoutMs?: number;
  /** A buyer answer larger than this is an error, not something to buffer. */
  maxResponseBytes?: number;
  /** Timed-out posts that may listen for a late answer at once (each holds a socket); default 128. */
  maxLingeringPosts?: number;
}

/** Published on `pingdesk:dispatch` after every ping and post, only when someone subscribes. */
export interface DispatchEvent {
  buyerId: string;
  kind: 'ping' | 'post';
  latencyMs: number;
  outcome: string;
}

export const dispatchChannel = channel('pingdesk:dispatch');

const CLOSE_GRACE_MS = 1000;

/**
 * The only code that talks HTTP to buyers (adapters in `deliver/` build and parse, never send).
 * Every call resolves, never rejects: a hanging, crashing or babbling buyer becomes a coded
 * outcome with its latency. Deadlines cover queueing, connect, headers and body, and abort the
 * request when they pass.
 */
export interface PostOptions {
  signal?: AbortSignal;
  /**
   * After `timeoutMs` the post is POST_TIMEOUT for the auction, but the request keeps listening this
   * long (unref'd, stopped by `close()`): a buyer that accepts late is reported to `onLate`.
   */
  lateGraceMs?: number;
  onLate?: (result: PostResult) => void;
}

/** Parsed buyer URLs kept (a broker's buyers have a few each; a templated URL with per-lead parts just churns). */
const URL_CACHE_SIZE = 512;

export class Dispatcher {
  private readonly agent: Agent;
  private readonly urls = new BoundedMemo<string, URL>(URL_CACHE_SIZE);
  private readonly now: () => number;
  /** Aborts posts still listening for a late answer when the dispatcher closes. */
  private readonly lingering = new AbortController();
  private readonly maxLingering: number;
  private lingeringNow = 0;

  constructor(opts: DispatcherOptions = {}) {
    this.now = opts.now ?? Date.now;
    this.maxLingering = opts.maxLingeringPosts ?? 128;
    // Every post listening for a late answer holds one listener on this signal.
    setMaxListeners(0, this.lingering.signal);
    this.agent = new Agent({
      connections: opts.connections ?? 64,
      pipelining: 1,
      keepAliveTimeout: opts.keepAliveTimeoutMs ?? 10_000,
      keepAliveMaxTimeout: 60_000,
      connect: { timeout: opts.connectTimeoutMs ?? 2000 },
      maxResponseSize: opts.maxResponseBytes ?? 64 * 1024,
    });
  }

  async send(req: HttpRequestSpec, opts: { timeoutMs: number; signal?: AbortSignal; unref?: boolean }): Promise<SendResult> {
    const started = this.now();
    const controller = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, Math.max(0, opts.timeoutMs));
    if (opts.unref) timer.unref();
    const onAbort = () => controller.abort();
    if (opts.signal?.aborted) onAbort();
    else opts.signal?.addEventListener('abort', onAbort, { once: true });
    try {
      return await this.exchange(req, controller.signal, started);
    } catch (err) {
      const latencyMs = this.now() - started;
      if (timedOut) return { kind: 'timeout', latencyMs };
      if (controller.signal.aborted) return { kind: 'error', reason: 'aborted', latencyMs };
      return sendErrorOf(err, latencyMs);
    } finally {
      clearTimeout(timer);
      opts.signal?.removeEventListener('abort', onAbort);
    }
  }

  /** One request and its bounded body read; failures are thrown for the caller to classify. */
  private async exchange(req: HttpRequestSpec, signal: AbortSignal, started: number): Promise<SendResult> {
    // The agent's `maxResponseSize` bounds the read: a body declared or streamed past it fails the
    // request, and `sendErrorOf` calls that "response too large".
    const res = await exchangeText(this.agent, this.urlOf(req.url), req, signal);
    return { kind: 'response', status: res.status, contentType: res.contentType, body: res.body, latencyMs: this.now() - started };
  }

  /**
   * A buyer's URL parsed once, not once per request (undici parses a string with `new URL` each time;
   * a lead makes eleven requests to the same few URLs). A malformed URL throws as undici would.
   */
  private urlOf(text: string): URL {
    return this.urls.of(text, parseUrl);
  }

  /**
   * `send` for a request whose deadline belongs to its caller: no timer and no AbortController of its
   * own, only the caller's `signal`, which the caller aborts when its deadline passes.
   */
  private async sendOnSignal(req: HttpRequestSpec, signal: AbortSignal): Promise<SendResult> {
    const started = this.now();
    try {
      return await this.exchange(req, signal, started);
    } catch (err) {
      const latencyMs = this.now() - started;
      if (signal.aborted) return { kind: 'error', reason: 'aborted', latencyMs };
      return sendErrorOf(err, latencyMs);
    }
  }

  /**
   * Pings one buyer with time = min(its own ping timeout, what is left before `deadlineAt`). An
   * answer that completes after the deadline is LATE and carries no bid.
   */
  async ping(buyer: RuntimeBuyer, spec: HttpRequestSpec, deadlineAt: number, opts: { capture?: boolean; signal?: AbortSignal } = {}): Promise<PingResult> {
    const result = await this.pingOnce(buyer, spec, deadlineAt, opts);
    publish(buyer.id, 'ping', result.latencyMs, result.outcome);
    return result;
  }

  /**
   * Pings every buyer at once and resolves at the deadline at the latest: buyers that have not
   * answered by then are TIMEOUT and their requests are aborted. Results follow `buyers`' order.
   * A request that cannot be built is UNREACHABLE (the buyer's configuration is unusable).
   */
  pingAll(
    buyers: readonly RuntimeBuyer[],
    build: (buyer: RuntimeBuyer) => HttpRequestSpec,
    deadlineAt: number,
    opts: { capture?: boolean; signal?: AbortSignal } = {},
  ): Promise<PingResult[]> {
    const started = this.now();
    // One controller and one timer for the whole round: a ping the round's deadline already bounds
    // needs neither of its own (see pingOnce).
    const controller = new AbortController();
    if (buyers.length > 8) setMaxListeners(buyers.length + 8, controller.signal);
    const results: Array<PingResult | undefined> = new Array(buyers.length);
    let pending = buyers.length;
    return new Promise((resolve) => {
      let done = false;
      const finish = () => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        opts.signal?.removeEventListener('abort', finish);
        const latencyMs = this.now() - started;
        const reason = opts.signal?.aborted ? 'auction aborted' : 'no answer by the auction deadline';
        buyers.forEach((buyer, i) => {
          results[i] ??= { buyerId: buyer.id, outcome: 'TIMEOUT', bidCents: null, token: null, reason, httpStatus: null, latencyMs };
          publish(buyer.id, 'ping', results[i].latencyMs, results[i].outcome);
        });
        // Only stragglers need stopping: aborting a finished round costs a DOMException per auction.
        if (pending > 0) controller.abort();
        resolve(results as PingResult[]);
      };
      const settle = (i: number, result: PingResult) => {
        if (done) return;
        results[i] = result;
        if (--pending === 0) finish();
      };
      const timer = setTimeout(finish, Math.max(0, deadlineAt - started));
      if (opts.signal?.aborted) return finish();
      opts.signal?.addEventListener('abort', finish, { once: true });
      buyers.forEach((buyer, i) => {
        let spec: HttpRequestSpec;
        try {
          spec = build(buyer);
        } catch (err) {
          const reason = `request could not be built: ${err instanceof Error ? err.message : String(err)}`;
          return settle(i, { buyerId: buyer.id, outcome: 'UNREACHABLE', bidCents: null, token: null, reason, httpStatus: null, latencyMs: 0 });
        }
        this.pingOnce(buyer, spec, deadlineAt, { capture: opts.capture, signal: controller.signal, roundCoversDeadline: true }).then(
          (r) => settle(i, r),
          (err: unknown) => settle(i, { buyerId: buyer.id, outcome: 'BAD_RESPONSE', bidCents: null, token: null, reason: String(err), httpStatus: null, latencyMs: this.now() - started }),
        );
      });
      if (buyers.length === 0) finish();
    });
  }

  /**
   * Posts the full record to one buyer. Timeouts and transport failures are not rejections: they are
   * POST_TIMEOUT / POST_ERROR, unknown outcomes. With `lateGraceMs`, a timed-out post resolves at its
   * timeout but goes on listening, so a late acceptance is seen rather than lost.
   */
  async post(buyer: RuntimeBuyer, spec: HttpRequestSpec, timeoutMs: number, opts: PostOptions = {}): Promise<PostResult> {
    // Past the limit, a timed-out post is cut at once as before: a buyer hanging on every post must
    // not hold the sockets the rest of the traffic needs.
    const graceMs = this.lingeringNow < this.maxLingering ? (opts.lateGraceMs ?? 0) : 0;
    if (graceMs <= 0 || this.lingering.signal.aborted) {
      const sent = await this.send(spec, { timeoutMs, signal: opts.signal });
      const result = postResultOf(buyer, sent, timeoutMs);
      publish(buyer.id, 'post', result.latencyMs, result.outcome);
      return result;
    }
    const started = this.now();
    const signal = opts.signal ? AbortSignal.any([opts.signal, this.lingering.signal]) : this.lingering.signal;
    const answer = this.send(spec, { timeoutMs: timeoutMs + graceMs, signal, unref: true });
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), Math.max(0, timeoutMs))));
    const first = await Promise.race([answer, deadline]);
    clearTimeout(timer);
    if (first !== 'timeout') {
      const result = postResultOf(buyer, first, timeoutMs);
      publish(buyer.id, 'post', result.latencyMs, result.outcome);
      return result;
    }
    this.lingeringNow += 1;
    void answer.then((sent) => {
      this.lingeringNow -= 1;
      if (sent.kind !== 'response') return;
      const late = postResultOf(buyer, sent, timeoutMs);
      publish(buyer.id, 'post', late.latencyMs, late.outcome === 'ACCEPTED' ? 'LATE_ACCEPTED' : late.outcome);
      opts.onLate?.(late);
    });
    const result = postResultOf(buyer, { kind: 'timeout', latencyMs: this.now() - started }, timeoutMs);
    publish(buyer.id, 'post', result.latencyMs, result.outcome);
    return result;
  }

  /** Lets in-flight requests finish for a moment, then drops them. */
  async close(): Promise<void> {
    this.lingering.abort();
    let timer: NodeJS.Timeout | undefined;
    const grace = new Promise<'late'>((resolve) => (timer = setTimeout(() => resolve('late'), CLOSE_GRACE_MS)));
    const closed = await Promise.race([this.agent.close().then(() => 'closed' as const), grace]);
    clearTimeout(timer);
    if (closed === 'late') await this.agent.destroy();
  }

  private async pingOnce(
    buyer: RuntimeBuyer,
    spec: HttpRequestSpec,
    deadlineAt: number,
    opts: { capture?: boolean; signal?: AbortSignal; roundCoversDeadline?: boolean },
  ): Promise<PingResult> {
    const left = deadlineAt - this.now();
    const timeoutMs = Math.min(buyer.pingTimeoutMs ?? Number.POSITIVE_INFINITY, left);
    const request = opts.capture ? redactCredentials(spec, buyer.spec.ping?.auth) : undefined;
    if (timeoutMs <= 0) {
      return { buyerId: buyer.id, outcome: 'TIMEOUT', bidCents: null, token: null, reason: 'no time left before the deadline', httpStatus: null, latencyMs: 0, ...(request ? { request } : {}) };
    }
    // Inside pingAll, a ping whose own timeout is not shorter than the round's deadline is timed out and
    // aborted by the round (its result at that moment is TIMEOUT): it runs on the round's signal alone.
    const sent = opts.roundCoversDeadline && opts.signal && timeoutMs >= left
      ? await this.sendOnSignal(spec, opts.signal)
      : await this.send(spec, { timeoutMs, signal: opts.signal });
    const lateByMs = this.now() - deadlineAt;
    return pingResultOf(buyer, sent, { timeoutMs, lateByMs, capture: opts.capture === true, request });
  }
}

function parseUrl(text: string): URL {
  return new URL(text);
}

function publish(buyerId: string, kind: 'ping' | 'post', latencyMs: number, outcome: string): void {
  if (dispatchChannel.hasSubscribers) dispatchChannel.publish({ buyerId, kind, latencyMs, outcome } satisfies DispatchEvent);
}
