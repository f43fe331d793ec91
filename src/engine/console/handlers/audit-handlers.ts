import { auditSigning, publicKeyExport } from '../audit-signing.js';
import { configChanges } from './floors-handlers.js';
import { progressReporter, type HandlerDeps, type HandlersOf } from './handler-deps.js';

/** Audit: verify the hash chain, and the signing key that vouches for it. */
export function auditHandlers(d: HandlerDeps): HandlersOf<'audit'> {
  const { store } = d;
  return {
    'audit.verify': async (args) => store.verifyTrailAsync({ onProgress: progressReporter(d, args?.jobId) }),
    'audit.signing': () => auditSigning(store),
    'audit.publicKey': () => publicKeyExport(store),
    'audit.configChanges': ({ limit, reason }) => configChanges(d, limit, reason),
  };
}
