import type { AuditSigningView, PublicKeyExport } from '../../shared/console-api.js';
import { PingdeskError } from '../../shared/errors.js';
import type { Store } from '../store/index.js';
import { publicKeyId, readPublicKeyPem } from '../store/signing-key.js';

/** What the audit screen shows before a verify: the newest checkpoint and how far the chain is past it. */
export function auditSigning(store: Store): AuditSigningView {
  const pem = store.auditPublicKeyPem();
  const latest = store.latestAuditCheckpoint();
  const head = store.committedAuditHead();
  return {
    keyId: pem ? publicKeyId(readPublicKeyPem(pem)) : null,
    lastCheckpoint: latest ? { seq: latest.seq, at: latest.at, keyId: latest.keyId } : null,
    unsignedAfter: Math.max(0, (head?.seq ?? 0) - (latest?.seq ?? 0)),
  };
}

export function publicKeyExport(store: Store): PublicKeyExport {
  const pem = store.auditPublicKeyPem();
  if (!pem) throw new PingdeskError('not_found', 'This database has no signing key yet: it is created when the engine first opens it writable.');
  const keyId = publicKeyId(readPublicKeyPem(pem));
  return { keyId, pem, fileName: `pingdesk-audit-key-${keyId.slice(0, 12)}.pem` };
}
