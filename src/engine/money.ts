/** Money is integer cents inside the engine; dollars with two decimals only on the wire. */
export type Cents = number;

export function toCents(dollars: number): Cents {
  return Math.round(dollars * 100);
}

export function toDollars(cents: Cents): number {
  return Math.round(cents) / 100;
}

/**
 * Dollars a buyer sent, cut to the cent: never rounded up, so a buyer is never charged more than it
 * bid (99.999 → 9999). Works on the number's shortest decimal form, so 99.99 (stored as
 * 99.98999…) stays 9999 and float noise cannot take a cent away either.
 */
export function truncateToCents(dollars: number): Cents {
  if (!Number.isFinite(dollars)) return Number.NaN;
  const text = String(Math.abs(dollars));
  const sign = dollars < 0 ? -1 : 1;
  const match = /^(\d+)(?:\.(\d+))?$/.exec(text);
  // Exponent forms are far below a cent or far above any bid limit.
  if (!match) return sign * Math.floor(Math.abs(dollars) * 100);
  const cents = Number(match[1]) * 100 + Number(((match[2] ?? '') + '00').slice(0, 2));
  return sign * cents;
}
