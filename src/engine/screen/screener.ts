import { Agent, request } from 'undici';
import { ipqs } from './ipqs.js';
import type { ScreenAdapter, ScreenInput, ScreenReading, ScreenResult, ScreenRule, ScreenVendor, ScreenVerdict } from './screen-types.js';
import { trestle } from './trestle.js';
import { trustedform } from './trustedform.js';

const ADAPTERS: Record<ScreenVendor, ScreenAdapter> = { trustedform, trestle, ipqs };
/** A vendor answer larger than this is an error, not something to buffer. */
const MAX_ANSWER_BYTES = 64 * 1024;

/**
 * Sends a campaign's screening requests, all at once, each within its rule's time budget. Every
 * call resolves, never rejects: a hanging, failing or babbling vendor becomes TIMEOUT or ERROR with
 * its latency, and the rule's `onError` decides what that means for the lead. Requests and their
 * URLs (which may carry keys) are never logged.
 */
export class Screener {
  private readonly agent: Agent;
  private readonly now: () => number;

  constructor(opts: { now?: () => number; connectTimeoutMs?: number } = {}) {
    this.now = opts.now ?? Date.now;
    this.agent = new Agent({ connections: 32, pipelining: 1, keepAliveTimeout: 10_000, connect: { timeout: opts.connectTimeoutMs ?? 2000 } });
  }

  run(rules: readonly ScreenRule[], input: ScreenInput): Promise<ScreenResult[]> {
    return Promise.all(rules.map((rule) => this.runOne(rule, input)));
  }

  async close(): Promise<void> {
    await this.agent.close().catch(() => this.agent.destroy());
  }

  private async runOne(rule: ScreenRule, input: ScreenInput): Promise<ScreenResult> {
    const started = this.now();
    const adapter = ADAPTERS[rule.type];
    let plan;
    try {
      plan = adapter.plan(rule, input);
    } catch {
      plan = { reading: { outcome: 'ERROR', code: 'BAD_REQUEST', score: null } satisfies ScreenReading };
    }
    if ('reading' in plan) return resultOf(rule, plan.reading, null, 0);
    const spec = plan.request;
    const controller = new AbortController();
    let timer: NodeJS.Timeout | undefined;
    // The budget holds even if an abort were not honoured: the race resolves at the deadline.
    const deadline = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => {
        controller.abort();
        resolve('timeout');
      }, rule.timeoutMs);
    });
    const exchange = (async () => {
      const res = await request(spec.url, { dispatcher: this.agent, method: spec.method, headers: spec.headers, body: spec.body, signal: controller.signal });
      const body = await readLimited(res.body);
      return { status: res.statusCode, body };
    })().catch(() => null);
    try {
      const answer = await Promise.race([exchange, deadline]);
      const latencyMs = this.now() - started;
      if (answer === 'timeout') return resultOf(rule, { outcome: 'ERROR', code: 'TIMEOUT', score: null }, null, latencyMs, 'TIMEOUT');
      if (answer === null) return resultOf(rule, { outcome: 'ERROR', code: 'CONNECTION_ERROR', score: null }, null, latencyMs);
      if (answer.body === null) return resultOf(rule, { outcome: 'ERROR', code: 'ANSWER_TOO_LARGE', score: null }, answer.status, latencyMs);
      let reading: ScreenReading;
      try {
        reading = adapter.read(rule, answer.status, answer.body);
      } catch {
        reading = { outcome: 'ERROR', code: 'UNREADABLE', score: null };
      }
      return resultOf(rule, reading, answer.status, latencyMs);
    } finally {
      clearTimeout(timer);
    }
  }
}

function resultOf(rule: ScreenRule, reading: ScreenReading, httpStatus: number | null, latencyMs: number, outcome?: 'TIMEOUT'): ScreenResult {
  const o = outcome ?? reading.outcome;
  const verdict: ScreenVerdict = o === 'PASS' ? 'pass' : o === 'FAIL' ? rule.action : rule.onError;
  return { vendor: rule.type, outcome: o, code: reading.code, score: reading.score, httpStatus, latencyMs, verdict };
}

/** The lead's overall verdict: any rejection rejects, else any flag flags. */
export function verdictOf(results: readonly ScreenResult[]): ScreenVerdict {
  if (results.some((r) => r.verdict === 'reject')) return 'reject';
  return results.some((r) => r.verdict === 'flag') ? 'flag' : 'pass';
}

async function readLimited(body: AsyncIterable<Buffer | string>): Promise<string | null> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    const b = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    size += b.length;
    if (size > MAX_ANSWER_BYTES) return null;
    chunks.push(b);
  }
  return Buffer.concat(chunks).toString('utf8');
}
