import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Store } from '../../src/engine/store/index.js';
import { runUntilKilled } from './fixtures/child-process.js';
import { makeTempDir, removeDir } from './fixtures/store-records.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const writer = path.join(here, 'fixtures', 'store-crash-writer.ts');

let dir: string;
beforeEach(() => {
  dir = makeTempDir();
});
afterEach(() => removeDir(dir));

/** Runs the writer until it has acknowledged `atLeast` leads, then SIGKILLs it; returns the acknowledged ids. */
function runAndKill(atLeast: number, committer: 'thread' | 'main'): Promise<string[]> {
  return runUntilKilled(writer, [dir, committer], (lines) => lines.length >= atLeast);
}

describe.each([
  { where: 'writer thread', committer: 'thread' as const },
  { where: 'main thread', committer: 'main' as const },
])('crash safety, writes committed in the $where', ({ committer }) => {
  it('every lead acknowledged before a SIGKILL survives with its events, and the chain verifies', async () => {
    const acked = await runAndKill(400, committer);
    expect(acked.length).toBeGreaterThanOrEqual(400);

    const store = Store.open({ dataDir: dir });
    try {
      for (const id of acked) {
        expect(store.getLead(id), id).not.toBeNull();
        expect(store.auditForLead(id).map((e) => e.type), id).toContain('received');
      }
      expect(store.verifyAudit()).toMatchObject({ ok: true });

      const closed = store.closeInterruptedAuctions(Date.now());
      for (const { leadId } of closed) expect(store.getLead(leadId)?.status).toBe('interrupted');
      expect(store.listAuctions({ status: 'open', limit: 10 }).rows).toEqual([]);
      const verified = store.verifyAudit();
      expect(verified).toMatchObject({ ok: true });
    } finally {
      store.close();
    }
  });
});
