import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { LeadFields } from '../../shared/domain.js';
import type { PingResult } from '../deliver/outcomes.js';
import type { Cents } from '../money.js';
import type { RuntimeCampaign } from '../workspace/runtime.js';

/** Campaign `pingTtlSeconds` when absent. */
export const DEFAULT_PING_TTL_SECONDS = 60;
/** How long a used or expired ping is still known (409/410 rather than 404). */
const REMEMBER_MS = 10 * 60_000;

/** One tier's ping answers, taken when the source pinged, replayed when it posts. */
export interface HeldTier {
  sentAt: number;
  results: PingResult[];
}

/** What a post's auction needs from its ping: who to post to (the held answers) and what was promised. */
export interface InboundPost {
  pingId: string;
  promisedPayoutCents: Cents;
  tiers: Map<number, HeldTier>;
}

export interface HeldPing extends InboundPost {
  sourceId: string;
  campaignId: string;
  test: boolean;
  pingFields: LeadFields;
  pingedAt: number;
  expiresAt: number;
  bestPriceCents: Cents;
  state: 'open' | 'claimed' | 'used';
}

/**
 * Inbound pings held in memory until they expire. Ids are `pp_<random>_<hmac>`: the HMAC (with a
 * secret made when the engine starts) makes ids that cannot be guessed or forged, and a forged or
 * unknown id reads as unknown. A restart forgets every held ping (its bids were promised in memory).
 */
export class HeldPings {
  private readonly pings = new Map<string, HeldPing>();
  private readonly secret: Buffer;

  constructor(private readonly now: () => number, secret: Buffer = randomBytes(32)) {
    this.secret = secret;
  }

  newId(): string {
    const body = randomBytes(12).toString('hex');
    return `pp_${body}_${this.sign(body)}`;
  }

  /** True when the id carries this engine's signature. */
  isSigned(id: string): boolean {
    const m = /^pp_([0-9a-f]{24})_([0-9a-f]{32})$/.exec(id);
    if (!m) return false;
    return timingSafeEqual(Buffer.from(m[2], 'hex'), Buffer.from(this.sign(m[1]), 'hex'));
  }

  hold(ping: HeldPing): void {
    this.sweep();
    this.pings.set(ping.pingId, ping);
  }

  get(id: string): HeldPing | undefined {
    return this.isSigned(id) ? this.pings.get(id) : undefined;
  }

  /** Pings still open (the console's Live view). */
  list(): HeldPing[] {
    this.sweep();
    return [...this.pings.values()];
  }

  private sign(body: string): string {
    return createHmac('sha256', this.secret).update(body).digest('hex').slice(0, 32);
  }

  private sweep(): void {
    const now = this.now();
    for (const [id, p] of this.pings) if (p.expiresAt + REMEMBER_MS < now) this.pings.delete(id);
  }
}

export function pingTtlMs(campaign: RuntimeCampaign): number {
  return (campaign.spec.pingTtlSeconds ?? DEFAULT_PING_TTL_SECONDS) * 1000;
}

/** The campaign margin on a price, rounded up: the broker never keeps less than the rule says. */
export function marginOn(campaign: Pick<RuntimeCampaign, 'margin'>, priceCents: Cents): Cents {
  const { margin } = campaign;
  if (margin.type === 'fixed') return margin.value;
  const scaled = priceCents * margin.value;
  return (scaled - (scaled % 10_000)) / 10_000 + (scaled % 10_000 === 0 ? 0 : 1);
}

/** Whether a held bid still pays the promised payout plus the campaign margin. */
export function paysPromise(campaign: Pick<RuntimeCampaign, 'margin'>, priceCents: Cents, promisedPayoutCents: Cents): boolean {
  return priceCents - promisedPayoutCents >= marginOn(campaign, priceCents);
}

/** The held answers of a tier for the buyers still eligible at post time; nobody is pinged again. */
export function replayHeld(inbound: InboundPost, tierIndex: number, eligibleIds: ReadonlySet<string>): { sentAt: number; results: PingResult[] } {
  const held = inbound.tiers.get(tierIndex);
  if (!held) return { sentAt: 0, results: [] };
  return { sentAt: held.sentAt, results: held.results.filter((r) => eligibleIds.has(r.buyerId)) };
}
