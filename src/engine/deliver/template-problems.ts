import type { DeliveryTemplate } from '../../shared/domain.js';
import { XML_NAME } from './encode-body.js';
import { SPECIAL_SOURCES } from './template-values.js';

const NEVER_IN_PING = new Set(['$lead_id', '$price', '$token']);

/**
 * What is wrong with a delivery template, for workspace validation (paths relative to the
 * template). Building never fails on these: unknown sources send nothing and bad XML names are
 * repaired, so a configuration mistake cannot crash an auction, but the operator should hear of it.
 */
export function templateProblems(template: DeliveryTemplate, kind: 'ping' | 'post'): Array<{ field: string; message: string }> {
  const problems: Array<{ field: string; message: string }> = [];
  for (const [name, source] of Object.entries(template.fields ?? {})) {
    if (source.startsWith('$') && !(SPECIAL_SOURCES as readonly string[]).includes(source)) {
      problems.push({ field: `fields.${name}`, message: `unknown source "${source}" (known: ${SPECIAL_SOURCES.join(', ')})` });
    } else if (kind === 'ping' && (NEVER_IN_PING.has(source) || source.startsWith('consent.'))) {
      problems.push({ field: `fields.${name}`, message: `"${source}" is never sent in a ping` });
    }
  }
  if (template.format === 'xml') {
    const names = [...Object.keys(template.fields ?? {}), ...Object.keys(template.static ?? {}), ...(template.root ? [template.root] : [])];
    for (const name of names) {
      if (name.split('.').some((part) => !XML_NAME.test(part))) problems.push({ field: `fields.${name}`, message: `"${name}" is not a valid XML element name` });
    }
  }
  return problems;
}
