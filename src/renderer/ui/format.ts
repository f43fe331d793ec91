/** Display formatting shared by every screen. Money arrives in dollars (two decimals) from the contract. */

const money = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD', minimumFractionDigits: 2, maximumFractionDigits: 2 });
const integer = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
const oneDecimal = new Intl.NumberFormat('en-US', { minimumFractionDigits: 1, maximumFractionDigits: 1 });

export const DASH = '—';

export function formatMoney(dollars: number | null | undefined): string {
  return dollars == null || !Number.isFinite(dollars) ? DASH : money.format(dollars);
}

export function formatCount(n: number | null | undefined): string {
  return n == null || !Number.isFinite(n) ? DASH : integer.format(n);
}

export function formatRate(n: number | null | undefined): string {
  return n == null || !Number.isFinite(n) ? DASH : oneDecimal.format(n);
}

/** A ratio 0..1 as a percentage. */
export function formatPercent(ratio: number | null | undefined): string {
  return ratio == null || !Number.isFinite(ratio) ? DASH : `${oneDecimal.format(ratio * 100)}%`;
}

export function formatMs(ms: number | null | undefined): string {
  if (ms == null || !Number.isFinite(ms)) return DASH;
  return ms >= 10_000 ? `${oneDecimal.format(ms / 1000)} s` : `${integer.format(ms)} ms`;
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/** Local wall-clock time with milliseconds: auctions last a fraction of a second. */
export function formatClock(ms: number): string {
  const d = new Date(ms);
  return `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.${pad(d.getMilliseconds(), 3)}`;
}

export function formatDateTime(ms: number | null | undefined): string {
  if (ms == null) return DASH;
  const d = new Date(ms);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

/** Hashes are shown by their first characters; the full value stays in the title attribute. */
export function shortHash(hash: string | null | undefined, length = 10): string {
  return hash ? hash.slice(0, length) : DASH;
}
