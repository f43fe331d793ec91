import { XMLParser, XMLValidator } from 'fast-xml-parser';
import type { BodyFormat } from '../../shared/domain.js';

export type ResponseFormat = BodyFormat | 'text';
export type ParsedBody = { ok: true; value: unknown } | { ok: false; reason: string };

/** Values stay strings (`parseTagValue: false`): numbers are read by the rule that wants them. */
const xmlParser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@', parseTagValue: false, parseAttributeValue: false, trimValues: true });

/**
 * The format to read a buyer's answer in: the template's explicit choice, else what the
 * Content-Type says, else a look at the first character. Buyers that take form posts often
 * answer in JSON, so the request format is no guide.
 */
export function responseFormat(explicit: ResponseFormat | undefined, contentType: string | undefined, body: string): ResponseFormat {
  if (explicit) return explicit;
  const type = (contentType ?? '').toLowerCase();
  if (type.includes('json')) return 'json';
  if (type.includes('xml')) return 'xml';
  if (type.includes('x-www-form-urlencoded')) return 'form';
  const first = body.trimStart()[0];
  if (first === '{' || first === '[') return 'json';
  if (first === '<') return 'xml';
  return 'text';
}

export function parseBody(format: ResponseFormat, text: string): ParsedBody {
  switch (format) {
    case 'json':
      try {
        return { ok: true, value: JSON.parse(text) as unknown };
      } catch {
        return { ok: false, reason: 'invalid JSON' };
      }
    case 'xml':
      if (XMLValidator.validate(text) !== true) return { ok: false, reason: 'invalid XML' };
      try {
        return { ok: true, value: xmlParser.parse(text) as unknown };
      } catch {
        return { ok: false, reason: 'invalid XML' };
      }
    case 'form':
      return { ok: true, value: Object.fromEntries(new URLSearchParams(text.trim())) };
    case 'text':
      return { ok: true, value: text.trim() };
  }
}

/**
 * The value at a dotted path (`result.price`, `response.bid`, `bids.0.amount`, `response.@amount`
 * for an XML attribute). An XML element that also has attributes reads as its text.
 */
export function readPath(value: unknown, path: string): unknown {
  let node = value;
  for (const part of path.split('.')) {
    if (part === '') continue;
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<string, unknown>)[part];
  }
  if (node !== null && typeof node === 'object' && !Array.isArray(node) && '#text' in node) return (node as Record<string, unknown>)['#text'];
  return node;
}

/** A scalar as text, for tokens, references and reasons; anything else is absent. */
export function readText(value: unknown, maxLength = 500): string | null {
  if (typeof value === 'string') return value.length ? value.slice(0, maxLength) : null;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (typeof value === 'boolean') return String(value);
  return null;
}
