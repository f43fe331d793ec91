import { XMLBuilder } from 'fast-xml-parser';
import type { BodyFormat } from '../../shared/domain.js';
import type { TemplateEntry, TemplateValue } from './template-values.js';

const xmlBuilder = new XMLBuilder({ format: false, suppressEmptyNode: false, processEntities: true });
export const XML_NAME = /^[A-Za-z_][A-Za-z0-9_.-]*$/;

/**
 * Encodes templated entries. In JSON and XML a dotted name nests (`applicant.state` becomes
 * `{"applicant":{"state":…}}` or `<applicant><state>…`); form bodies keep the name as written.
 */
export function encodeBody(format: BodyFormat, entries: TemplateEntry[], root: string): string {
  switch (format) {
    case 'json':
      return JSON.stringify(nest(entries, (v) => v));
    case 'form':
      return encodeForm(entries);
    case 'xml':
      return encodeXml(entries, root);
  }
}

function encodeForm(entries: TemplateEntry[]): string {
  const params = new URLSearchParams();
  for (const [name, value] of entries) {
    if (Array.isArray(value)) for (const item of value) params.append(name, item);
    else params.append(name, value === null ? '' : String(value));
  }
  return params.toString();
}

function encodeXml(entries: TemplateEntry[], root: string): string {
  const tree = nest(entries, (v) => (Array.isArray(v) ? v : v === null ? '' : String(v)), xmlName);
  return `<?xml version="1.0" encoding="UTF-8"?>${xmlBuilder.build({ [xmlName(root)]: tree }) as string}`;
}

/**
 * Element names come from buyer configuration; one that is not a valid XML name is repaired rather
 * than emitted as broken markup (`templateProblems` reports it at configuration time).
 */
export function xmlName(name: string): string {
  if (XML_NAME.test(name)) return name;
  const repaired = name.replace(/[^A-Za-z0-9_.-]/g, '_');
  return /^[A-Za-z_]/.test(repaired) ? repaired : `_${repaired}`;
}

type Tree = { [name: string]: TemplateValue | Tree };

function nest(entries: TemplateEntry[], convert: (v: TemplateValue) => TemplateValue, rename: (n: string) => string = (n) => n): Tree {
  const tree: Tree = {};
  for (const [name, value] of entries) {
    const parts = name.split('.').map(rename);
    let node = tree;
    for (const part of parts.slice(0, -1)) {
      const next = node[part];
      if (typeof next !== 'object' || next === null || Array.isArray(next)) node[part] = {};
      node = node[part] as Tree;
    }
    node[parts[parts.length - 1]] = convert(value);
  }
  return tree;
}
