import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { databasePath } from '../../src/engine/store/open-database.js';
import { makeDataDir, startTestEngine } from './fixtures/engine-harness.js';
import { pingdesk } from './fixtures/serve-process.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const runner = path.join(here, 'fixtures', 'engine-crash-runner.ts');

let dir: string;
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

/** Runs the engine in a child that sends leads without end, and SIGKILLs it once `acks` leads were answered. */
function runAndKill(dataDir: string, acks: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', runner, dataDir], { stdio: ['ignore', 'pipe', 'pipe'] });
    let acked = 0;
    let stderr = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      acked += chunk.split('\n').filter((l) => l.startsWith('ack ')).length;
      // Past the first checkpoint tick (1 s), so some events are signed and later ones are not.
      if (acked >= acks && !child.killed) setTimeout(() => child.kill('SIGKILL'), 1200);
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.on('error', reject);
    child.on('exit', (_code, signal) => (signal === 'SIGKILL' ? resolve() : reject(new Error(`engine exited on its own: ${stderr}`))));
  });
}

describe('checkpoints across a crash', () => {
  it('a killed engine leaves its newest events unsigned but intact, and the next start signs them', async () => {
    dir = makeDataDir('pingdesk-chain-crash-');
    await runAndKill(dir, 10);

    const afterCrash = pingdesk('audit', 'verify', '--data-dir', dir);
    expect(afterCrash.code).toBe(0);
    const unsigned = Number(afterCrash.out.match(/(\d+) events after it not yet signed/)?.[1]);
    expect(unsigned).toBeGreaterThan(0);

    const h = await startTestEngine({ dir });
    await h.close();
    const db = new Database(databasePath(dir), { readonly: true });
    const head = db.prepare('SELECT MAX(seq) AS seq FROM audit_events').get() as { seq: number };
    const interrupted = db.prepare("SELECT COUNT(*) AS n FROM audit_events WHERE type = 'interrupted'").get() as { n: number };
    db.close();
    expect(interrupted.n).toBeGreaterThan(0);
    const restarted = pingdesk('audit', 'verify', '--data-dir', dir);
    expect(restarted.code).toBe(0);
    expect(restarted.out).toContain(`last verified checkpoint: seq ${head.seq} at `);
    expect(restarted.out).toContain('0 events after it not yet signed');
  });

  it('an engine refuses to start on a folder whose signing key is not where it looks, and changes nothing', async () => {
    dir = makeDataDir('pingdesk-chain-nokey-');
    const keyFile = path.join(dir, '..', `${path.basename(dir)}.key`);
    const h = await startTestEngine({ dir, signingKeyFile: keyFile });
    await h.close();
    const before = fs.readFileSync(databasePath(dir));
    const elsewhere = `${keyFile}.missing`;
    await expect(startTestEngine({ dir, signingKeyFile: elsewhere })).rejects.toMatchObject({ code: 'signing_key_missing' });
    expect(fs.existsSync(elsewhere)).toBe(false);
    expect(fs.readFileSync(databasePath(dir)).equals(before)).toBe(true);
    fs.rmSync(keyFile);
  });
});
