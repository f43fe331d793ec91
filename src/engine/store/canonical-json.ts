/**
 * JSON with object keys sorted at every depth, so the same value always serialises to the same
 * text. Follows JSON.stringify's rules otherwise (toJSON, undefined keys dropped, non-finite
 * numbers as null), which makes it stable across a stringify/parse round trip.
 *
 * It runs for every audit event on the hot path, so it builds one string by concatenation, skips the
 * sort when the keys already come in order (and sorts a few keys in place when not), and quotes each
 * distinct key once (the keys of events and records are a small vocabulary; the cache stops growing
 * past `KEY_CACHE_LIMIT`).
 */
export function canonicalJson(value: unknown): string {
  return write(value) ?? 'null';
}

const KEY_CACHE_LIMIT = 4096;
const quotedKeys = new Map<string, string>();

function quoteKey(key: string): string {
  let quoted = quotedKeys.get(key);
  if (quoted === undefined) {
    quoted = `${JSON.stringify(key)}:`;
    if (quotedKeys.size < KEY_CACHE_LIMIT) quotedKeys.set(key, quoted);
  }
  return quoted;
}

/** Objects with up to this many keys are sorted in place by insertion (Array#sort allocates work arrays). */
const SMALL_SORT = 24;

function sortedKeys(obj: object): string[] {
  const keys = Object.keys(obj);
  for (let i = 1; i < keys.length; i++) {
    if (keys[i - 1] > keys[i]) return keys.length > SMALL_SORT ? keys.sort() : insertionSorted(keys, i);
  }
  return keys;
}

/** Sorts `keys` in place, the first `from` already in order; `<` on strings is Array#sort's default order. */
function insertionSorted(keys: string[], from: number): string[] {
  for (let i = from; i < keys.length; i++) {
    const key = keys[i];
    let j = i - 1;
    while (j >= 0 && keys[j] > key) {
      keys[j + 1] = keys[j];
      j--;
    }
    keys[j + 1] = key;
  }
  return keys;
}

function write(value: unknown, viaToJson = false): string | undefined {
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    case 'number':
      return Number.isFinite(value) ? `${value}` : 'null';
    case 'boolean':
      return value ? 'true' : 'false';
    case 'bigint':
      throw new TypeError('A BigInt cannot be written as JSON');
    case 'object':
      break;
    default:
      return undefined;
  }
  if (value === null) return 'null';
  // Like JSON.stringify, a value's toJSON is called once: not again on what it returned.
  if (!viaToJson && typeof (value as { toJSON?: unknown }).toJSON === 'function') return write((value as { toJSON: () => unknown }).toJSON(), true);
  if (Array.isArray(value)) {
    let out = '[';
    for (let i = 0; i < value.length; i++) out += (i === 0 ? '' : ',') + (write(value[i]) ?? 'null');
    return `${out}]`;
  }
  const obj = value as Record<string, unknown>;
  let out = '{';
  let first = true;
  for (const key of sortedKeys(obj)) {
    const text = write(obj[key]);
    if (text === undefined) continue;
    out += (first ? '' : ',') + quoteKey(key) + text;
    first = false;
  }
  return `${out}}`;
}
