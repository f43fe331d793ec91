import { BoundedMemo } from '../bounded-memo.js';

/**
 * Seller names in consent text are matched without regard to case, punctuation or corporate
 * suffixes: "Acme Insurance, Inc." names the buyer whose consent name is "ACME insurance".
 */
const SUFFIXES = new Set(['inc', 'incorporated', 'llc', 'l l c', 'ltd', 'limited', 'corp', 'corporation', 'co', 'company', 'lp', 'llp', 'plc', 'pllc']);

export function normaliseSellerName(name: string): string {
  const words = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/&/g, ' and ')
    .replace(/[^a-z0-9]+/g, ' ')
    .trim()
    .split(' ')
    .filter(Boolean);
  while (words.length > 1 && SUFFIXES.has(words[words.length - 1])) words.pop();
  return words.join(' ');
}

/** Each lead's seller list is normalised once, however many buyers are checked against it. */
const normalisedSellers = new WeakMap<readonly string[], Set<string>>();

/**
 * A source's consent text names the same sellers lead after lead: each distinct name is normalised
 * once (six string passes each otherwise, for every name of every lead). Bounded; cleared when full.
 */
const normalisedNames = new BoundedMemo<string, string>(4096);

function normalisedName(name: string): string {
  return normalisedNames.of(name, normaliseSellerName);
}

export function consentNamesSeller(sellers: readonly string[] | undefined, consentKey: string): boolean {
  if (!sellers || !consentKey) return false;
  let keys = normalisedSellers.get(sellers);
  if (!keys) normalisedSellers.set(sellers, (keys = new Set(sellers.map(normalisedName))));
  return keys.has(consentKey);
}
