/**
 * JSON with object keys sorted at every depth, so the same value always serialises to the same
 * text. Follows JSON.stringify's rules otherwise (toJSON, undefined keys dropped, non-finite
 * numbers as null), which makes it stable across a stringify/parse round trip.
 */
export function canonicalJson(value: unknown): string {
  return write(value) ?? 'null';
}

function write(value: unknown): string | undefined {
  if (value !== null && typeof value === 'object' && typeof (value as { toJSON?: unknown }).toJSON === 'function') {
    value = (value as { toJSON: () => unknown }).toJSON();
  }
  if (value === null) return 'null';
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    case 'number':
      return Number.isFinite(value) ? JSON.stringify(value) : 'null';
    case 'boolean':
      return value ? 'true' : 'false';
    case 'bigint':
      throw new TypeError('A BigInt cannot be written as JSON');
    case 'object':
      break;
    default:
      return undefined;
  }
  if (Array.isArray(value)) {
    return `[${value.map((v) => write(v) ?? 'null').join(',')}]`;
  }
  const obj = value as Record<string, unknown>;
  const parts: string[] = [];
  for (const key of Object.keys(obj).sort()) {
    const text = write(obj[key]);
    if (text !== undefined) parts.push(`${JSON.stringify(key)}:${text}`);
  }
  return `{${parts.join(',')}}`;
}
