import { readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { buildEvidenceBundle } from '../engine/evidence/build-bundle.js';
import { verifyBundle, type BundleVerdict } from '../engine/evidence/verify-bundle.js';
import { readPublicKeyPem } from '../engine/store/signing-key.js';
import { openReadSource, READ_SOURCE_OPTIONS } from './read-source.js';

export const EVIDENCE_USAGE = `pingdesk evidence (--data-dir DIR | --open FILE.pdarchive) --lead ID --out FILE.zip
  pingdesk evidence verify [--public-key FILE] FILE.zip`;

/** Exit code of `evidence verify` for a bundle that is consistent but that no checkpoint signs yet. */
export const EXIT_UNSIGNED = 3;

/**
 * `pingdesk evidence`: one lead's evidence bundle from a data folder opened read-only (a review copy
 * works) or from an archive. `pingdesk evidence verify`: checks a bundle offline, with no data folder: exit 0 when it
 * verifies, 3 when it is consistent but not yet signed, 1 naming the first problem.
 */
export async function runEvidence(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    options: { ...READ_SOURCE_OPTIONS, lead: { type: 'string' }, out: { type: 'string' }, 'public-key': { type: 'string' } },
    allowPositionals: true,
  });
  if (positionals[0] === 'verify') {
    if (positionals.length !== 2) return usage();
    const publicKey = values['public-key'] ? readPublicKeyPem(readFileSync(values['public-key'], 'utf8')) : undefined;
    const verdict = verifyBundle(readFileSync(positionals[1]), { publicKey });
    process.stdout.write(describeVerdict(verdict));
    return verdict.status === 'verified' ? 0 : verdict.status === 'unsigned' ? EXIT_UNSIGNED : 1;
  }
  if (positionals.length > 0 || !values.lead || !values.out) return usage();
  const source = openReadSource(values);
  if (!source) return usage();
  const { store } = source;
  try {
    const bundle = buildEvidenceBundle(store, values.lead);
    writeFileSync(values.out, bundle.zip);
    const signed = bundle.checkpointSeq === null ? 'not yet signed: no checkpoint covers its last event' : `signed by checkpoint seq ${bundle.checkpointSeq}`;
    process.stdout.write(`evidence for lead ${bundle.leadId} written to ${values.out}: ${bundle.events} events, chain of ${bundle.chainEvents}, ${signed}\n`);
    return 0;
  } finally {
    store.close();
  }
}

function usage(): number {
  process.stderr.write(`Usage: ${EVIDENCE_USAGE}\n`);
  return 2;
}

export function describeVerdict(v: BundleVerdict): string {
  const lines: string[] = [];
  if (v.status === 'failed') lines.push(`evidence bundle FAILED: ${v.problem ?? 'unknown problem'}`);
  else if (v.status === 'unsigned') lines.push(`evidence bundle for lead ${v.leadId} is consistent but NOT YET SIGNED: ${v.problem ?? 'no checkpoint covers it'}`);
  else lines.push(`evidence bundle for lead ${v.leadId} verified: ${v.events} events, chain of ${v.chainEvents} to checkpoint seq ${v.checkpoint?.seq} at ${new Date(v.checkpoint?.at ?? 0).toISOString()}`);
  for (const line of v.passed) lines.push(`  ok  ${line}`);
  if (v.status === 'verified' && v.keySource === 'bundle') lines.push(`  note: signed with the key in the bundle (${v.checkpoint?.keyId}); compare its id with one you hold, or pass --public-key FILE`);
  return `${lines.join('\n')}\n`;
}
