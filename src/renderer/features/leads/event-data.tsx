import type { ReactNode } from 'react';
import { pingOutcomesOf, type PingOutcome } from '../../../shared/ping-round.js';
import { tierLabel } from '../../../shared/tier-label.js';
import { formatMoney, formatMs, shortHash } from '../../ui/format.js';
import { outcomeBadge } from '../../ui/outcome.js';
import type { Directory } from '../../ui/use-directory.js';

const MONEY_KEYS = new Set(['price', 'bid', 'floor', 'payout', 'margin']);
const CODE_KEYS = new Set(['outcome', 'code']);
const HEX64 = /^(sha256:)?[0-9a-f]{64}$/;
const HIDDEN = new Set(['auctionId', 'buyerNames']);
/** Keys whose value is a list of buyer ids. */
const BUYER_LISTS = new Set(['eligible', 'buyers', 'sellers']);

/**
 * An audit event's data as compact key/value chips. Generic on purpose: event shapes may grow, and
 * the reviewer must see everything the engine recorded. Codes become badges, money is formatted,
 * hashes are shortened (full value on hover), buyer ids become names.
 */
export function EventData({ data, dir, tierName }: { data: Record<string, unknown>; dir: Directory; tierName?: (index: number) => string | undefined }) {
  // Names as recorded when the event was written win over today's (a buyer may be renamed or gone).
  const recorded = (data.buyerNames && typeof data.buyerNames === 'object' ? data.buyerNames : {}) as Record<string, string>;
  const named: Directory = { ...dir, buyerName: (id) => (id && recorded[id]) || dir.buyerName(id) };
  const entries = flatten(data).filter(([k, v]) => !HIDDEN.has(k) && v !== null && v !== undefined && !(Array.isArray(v) && v.length === 0));
  if (entries.length === 0) return null;
  return (
    <span className="small event-data">
      {entries.map(([key, value]) => (
        <span key={key}>
          <span className="muted">{key}</span> {renderValue(key, value, named, tierName)}
        </span>
      ))}
    </span>
  );
}

function renderValue(key: string, value: unknown, dir: Directory, tierName?: (index: number) => string | undefined): ReactNode {
  if (CODE_KEYS.has(key) && typeof value === 'string') return <span className={outcomeBadge(value)}>{value}</span>;
  if (MONEY_KEYS.has(key) && typeof value === 'number') return <span className="tabular">{formatMoney(value)}</span>;
  if (key === 'latencyMs' && typeof value === 'number') return <span className="tabular">{formatMs(value)}</span>;
  // Tiers by the name they had in that auction, as the Ping tree names them; the position only when unknown.
  if (key === 'tier' && typeof value === 'number') return tierLabel(tierName?.(value), value);
  if (key === 'buyerId' && typeof value === 'string') return dir.buyerName(value);
  if (key.endsWith('Cents') && typeof value === 'number') return <span className="tabular">{formatMoney(value / 100)}</span>;
  if (BUYER_LISTS.has(key) && Array.isArray(value) && value.every((v) => typeof v === 'string')) return value.map((id) => dir.buyerName(id)).join(', ');
  if (key === 'pings' && Array.isArray(value)) return <PingOutcomes items={pingOutcomesOf({ pings: value })} dir={dir} />;
  if (Array.isArray(value) && value.length > 0 && value.every(isExclusion)) return <Exclusions items={value} dir={dir} />;
  if (typeof value === 'string' && HEX64.test(value)) {
    return (
      <code title={value} className="mono">
        {shortHash(value.replace(/^sha256:/, ''))}
      </code>
    );
  }
  if (Array.isArray(value)) return value.map((v) => (typeof v === 'object' ? JSON.stringify(v) : String(v))).join(', ');
  if (typeof value === 'object') return <code className="mono">{JSON.stringify(value, (_k, v: unknown) => (typeof v === 'string' && HEX64.test(v) ? shortHash(v.replace(/^sha256:/, '')) : v))}</code>;
  return String(value);
}

interface Exclusion {
  buyerId: string;
  code: string;
  reason?: string;
}

function isExclusion(v: unknown): v is Exclusion {
  return typeof v === 'object' && v !== null && typeof (v as Exclusion).buyerId === 'string' && typeof (v as Exclusion).code === 'string';
}

/** "Bolt Auto — not pinged: state TX is excluded by the buyer" for each buyer the tier left out. */
function Exclusions({ items, dir }: { items: Exclusion[]; dir: Directory }) {
  return (
    <span className="stack" style={{ gap: 2, display: 'inline-flex' }} data-testid="event-exclusions">
      {items.map((x) => (
        <span key={x.buyerId}>
          {dir.buyerName(x.buyerId)} — not pinged{x.reason ? `: ${x.reason}` : ''} <span className={outcomeBadge(x.code)}>{x.code}</span>
        </span>
      ))}
    </span>
  );
}

/** "Acme Auto BID $30.00 in 42 ms" for each buyer of a ping round (one `ping` event names the whole round). */
function PingOutcomes({ items, dir }: { items: PingOutcome[]; dir: Directory }) {
  return (
    <span className="stack" style={{ gap: 2, display: 'inline-flex' }} data-testid="event-ping-outcomes">
      {items.map((p) => (
        <span key={p.buyerId} data-testid="event-ping-outcome">
          {dir.buyerName(p.buyerId)} <span className={outcomeBadge(p.outcome)}>{p.outcome}</span>
          {p.bid !== null && <span className="tabular"> {formatMoney(p.bid)}</span>}
          {p.latencyMs !== null && <span className="tabular muted"> in {formatMs(p.latencyMs)}</span>}
          {p.reason ? <span className="muted">: {p.reason}</span> : null}
        </span>
      ))}
    </span>
  );
}

/** Nested objects (the consent summary in `received`) read as dotted keys, one level deep. */
function flatten(data: Record<string, unknown>): Array<[string, unknown]> {
  const out: Array<[string, unknown]> = [];
  for (const [key, value] of Object.entries(data)) {
    if (value && typeof value === 'object' && !Array.isArray(value)) {
      for (const [inner, v] of Object.entries(value as Record<string, unknown>)) out.push([`${key}.${inner}`, v]);
    } else out.push([key, value]);
  }
  return out;
}
