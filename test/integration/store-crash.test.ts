import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Store } from '../../src/engine/store/index.js';
import { makeTempDir, removeDir } from './fixtures/store-records.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const writer = path.join(here, 'fixtures', 'store-crash-writer.ts');

let dir: string;
beforeEach(() => {
  dir = makeTempDir();
});
afterEach(() => removeDir(dir));

/** Runs the writer until it has acknowledged `atLeast` leads, then SIGKILLs it; returns the acknowledged ids. */
function runAndKill(atLeast: number): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', writer, dir], { stdio: ['ignore', 'pipe', 'pipe'] });
    const acked: string[] = [];
    let buffered = '';
    let stderr = '';
    let killed = false;
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      buffered += chunk;
      const lines = buffered.split('\n');
      buffered = lines.pop() ?? '';
      acked.push(...lines.filter(Boolean));
      if (!killed && acked.length >= atLeast) {
        killed = true;
        child.kill('SIGKILL');
      }
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.on('error', reject);
    child.on('exit', (_code, signal) => {
      if (signal !== 'SIGKILL') reject(new Error(`writer exited on its own: ${stderr}`));
      // Lines already in the pipe when the kill landed were acknowledged too.
      else resolve([...acked, ...buffered.split('\n').filter(Boolean)]);
    });
  });
}

describe('crash safety', () => {
  it('every lead acknowledged before a SIGKILL survives with its events, and the chain verifies', async () => {
    const acked = await runAndKill(400);
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
