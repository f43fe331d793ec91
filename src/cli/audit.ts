import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { archiveWitness } from '../engine/store/archive.js';
import type { AuditCheckpoint, Store } from '../engine/store/index.js';
import { publicKeyId, readPublicKeyPem, signingKeyFile, witnessFile } from '../engine/store/signing-key.js';
import type { TrailVerifyResult } from '../engine/store/trail-verify.js';
import { openReadSource, READ_SOURCE_OPTIONS } from './read-source.js';

export const AUDIT_USAGE = `pingdesk audit verify --data-dir DIR [--public-key FILE] [--checkpoint FILE]
  pingdesk audit public-key --data-dir DIR [--out FILE]`;

/**
 * `pingdesk audit verify`: exit 0 when the chain, every signed checkpoint and every lead record check
 * out, 1 with the first problem otherwise. `pingdesk audit public-key` prints or writes the public key
 * a reviewer verifies checkpoints with. Both open the database read-only and need no private key.
 */
export async function runAudit(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    options: { ...READ_SOURCE_OPTIONS, 'public-key': { type: 'string' }, checkpoint: { type: 'string' }, out: { type: 'string' } },
    allowPositionals: true,
  });
  const action = positionals[0];
  const source = action === 'verify' || action === 'public-key' ? openReadSource(values) : null;
  if (!source) {
    process.stderr.write(`Usage: ${AUDIT_USAGE}\n`);
    return 2;
  }
  const { store, archive } = source;
  try {
    if (action === 'public-key') return exportPublicKey(store, values.out);
    const publicKey = values['public-key'] ? readPublicKeyPem(readFileSync(values['public-key'], 'utf8')) : undefined;
    const witness = archive ? archivedWitness(store, archive, values.checkpoint) : findWitness(store, values.checkpoint);
    const result = await store.verifyTrailAsync({ publicKey, witness: witness?.checkpoint });
    if (witness) process.stdout.write(`newest checkpoint kept outside the database: ${witness.file}\n`);
    process.stdout.write(describeResult(result));
    return result.ok ? 0 : 1;
  } finally {
    store.close();
  }
}

/**
 * The witness: `--checkpoint FILE` (a reviewer got it with the public key), else the one the engine keeps
 * beside this database's signing key on this machine, if there is one.
 */
function findWitness(store: Store, given: string | undefined): { file: string; checkpoint: AuditCheckpoint } | null {
  const file = given ?? witnessFile(signingKeyFile(store.databaseId()));
  if (!given && !existsSync(file)) return null;
  return { file, checkpoint: JSON.parse(readFileSync(file, 'utf8')) as AuditCheckpoint };
}

/**
 * An archive is checked against the witness it carries (the newest one when it was taken), not the
 * one on this machine, which may be newer than the archive; `--checkpoint FILE` still wins.
 */
function archivedWitness(store: Store, archive: string, given: string | undefined): { file: string; checkpoint: AuditCheckpoint } | null {
  if (given) return findWitness(store, given);
  const checkpoint = archiveWitness(store);
  return checkpoint ? { file: `${archive} (carried in the archive)`, checkpoint } : null;
}

function exportPublicKey(store: Store, out: string | undefined): number {
  const pem = store.auditPublicKeyPem();
  if (!pem) {
    process.stderr.write('This database has no signing key yet: it is created the first time `pingdesk serve` opens it.\n');
    return 1;
  }
  if (!out) {
    process.stdout.write(pem);
    return 0;
  }
  writeFileSync(out, pem);
  process.stdout.write(`public key ${publicKeyId(readPublicKeyPem(pem))} written to ${out}\n`);
  return 0;
}

function describeCheckpoint(c: { seq: number; at: number } | null): string {
  return c ? `seq ${c.seq} at ${new Date(c.at).toISOString()}` : 'none';
}

function describeResult(r: TrailVerifyResult): string {
  if (!r.ok) {
    const lines = [`audit trail BROKEN at seq ${r.firstBadSeq} (${r.problem}) after ${r.count} good events`];
    if (r.detail) lines.push(`  ${r.detail}`);
    if (r.leadId) lines.push(`  lead ${r.leadId}`);
    lines.push(`  last verified signed checkpoint: ${describeCheckpoint(r.lastCheckpoint)}`);
    return `${lines.join('\n')}\n`;
  }
  const lines = [`audit trail intact: ${r.count} events, last seq ${r.lastSeq}`];
  if (r.lastCheckpoint) {
    const from = r.keySource === 'given' ? 'the given public key' : 'the public key stored in the database (compare its id with one you got separately, or pass --public-key)';
    lines.push(`signed checkpoints: ${r.checkpoints} verified with key ${r.keyId} from ${from}`);
    lines.push(`last verified checkpoint: ${describeCheckpoint(r.lastCheckpoint)}; ${r.unsignedAfter} events after it not yet signed`);
  } else {
    lines.push(`signed checkpoints: none; all ${r.count} events are unsigned`);
  }
  lines.push(`leads: ${r.leads.intact} match their record as received, ${r.leads.erased} erased (intact when erased, unchanged since), ${r.leads.unhashed} received before record hashing`);
  return `${lines.join('\n')}\n`;
}
