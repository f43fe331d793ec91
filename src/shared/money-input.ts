/**
 * Dollars as a broker types them: "1250", "1,250.00", "$1,250.00", " $ 12.5 ". Commas must group
 * thousands ("1,25" is refused: it may be a decimal comma); at most two decimals (cents).
 * Returns the amount in dollars, `undefined` for an empty entry, NaN for anything else.
 */
export function parseMoneyInput(text: string): number | undefined {
  const t = text.trim().replace(/^\$\s*/, '').replace(/\s*(USD|usd)$/, '');
  if (t === '') return undefined;
  const m = /^(-)?(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d{1,2}))?$/.exec(t);
  if (!m) return Number.NaN;
  const whole = Number(m[2].replace(/,/g, ''));
  const cents = m[3] ? Number(m[3].padEnd(2, '0')) : 0;
  const value = whole + cents / 100;
  return m[1] ? -value : value;
}
