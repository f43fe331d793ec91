import type { ReactNode } from 'react';
import { tierLabel } from '../../../shared/tier-label.js';
import { formatMoney, formatMs, shortHash } from '../../ui/format.js';
import { outcomeBadge } from '../../ui/outcome.js';
import type { Directory } from '../../ui/use-directory.js';

const MONEY_KEYS = new Set(['price', 'bid', 'floor', 'payout', 'margin']);
const CODE_KEYS = new Set(['outcome', 'code']);
const HEX64 = /^(sha256:)?[0-9a-f]{64}$/;
const HIDDEN = new Set(['auctionId']);

/**
 * An audit event's data as compact key/value chips. Generic on purpose: event shapes may grow, and
 * the reviewer must see everything the engine recorded. Codes become badges, money is formatted,
 * hashes are shortened (full value on hover), buyer ids become names.
 */
export function EventData({ data, dir, tierName }: { data: Record<string, unknown>; dir: Directory; tierName?: (index: number) => string | undefined }) {
  const entries = flatten(data).filter(([k, v]) => !HIDDEN.has(k) && v !== null && v !== undefined && !(Array.isArray(v) && v.length === 0));
  if (entries.length === 0) return null;
  return (
    <span className="small event-data">
      {entries.map(([key, value]) => (
        <span key={key}>
          <span className="muted">{key}</span> {renderValue(key, value, dir, tierName)}
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
