import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { EvidenceExport } from '../../shared/console-api.js';
import type { Store } from '../store/index.js';
import { buildEvidenceBundle } from './build-bundle.js';

/** `leads.evidence`: the lead's bundle written to the exports folder, served and downloaded like CSV exports. */
export function writeEvidenceExport(store: Store, leadId: string, exportsDir: string, now: number): EvidenceExport {
  const bundle = buildEvidenceBundle(store, leadId, now);
  mkdirSync(exportsDir, { recursive: true, mode: 0o700 });
  const safeId = leadId.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 64);
  const fileName = `evidence-${safeId}-${new Date(now).toISOString().replace(/[:.]/g, '-')}-${randomBytes(3).toString('hex')}.zip`;
  const path = join(exportsDir, fileName);
  writeFileSync(path, bundle.zip, { mode: 0o600 });
  return { leadId, fileName, path, bytes: bundle.zip.length, events: bundle.events, checkpointSeq: bundle.checkpointSeq };
}
