import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Store, type SigningKeyStore } from '../../src/engine/store/index.js';
import type { KeyObject } from 'node:crypto';
import { makeTempDir, removeDir, T0 } from './fixtures/store-records.js';

const isRoot = process.getuid?.() === 0;
let mountPoint: string | null = null;

afterEach(() => {
  if (mountPoint) {
    execFileSync('umount', [mountPoint]);
    removeDir(mountPoint);
    mountPoint = null;
  }
});

function memoryKeys(): SigningKeyStore {
  let key: KeyObject | null = null;
  return { location: 'memory', load: () => key, save: (k) => { key = k; } };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function until(done: () => boolean, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!done()) {
    if (Date.now() > end) throw new Error('timed out waiting');
    await sleep(10);
  }
}

/** Fills the file system until it refuses another byte. */
function fill(dir: string): string {
  const file = path.join(dir, 'filler');
  const fd = fs.openSync(file, 'w');
  const chunk = Buffer.alloc(64 * 1024, 1);
  try {
    for (;;) fs.writeSync(fd, chunk);
  } catch (err) {
    expect((err as NodeJS.ErrnoException).code).toBe('ENOSPC');
  }
  // Whatever a 64 KiB chunk left over, take too.
  try {
    for (;;) fs.writeSync(fd, Buffer.alloc(512, 1));
  } catch {
    // full
  }
  fs.closeSync(fd);
  return file;
}

describe('checkpoints on a full disk', () => {
  it.skipIf(!isRoot)('a checkpoint that finds the disk full waits in the write queue with the storage unavailable and is made once space returns', async () => {
    mountPoint = makeTempDir('pingdesk-chain-tmpfs-');
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=4m', 'tmpfs', mountPoint]);
    const dataDir = path.join(mountPoint, 'data');
    let clock = T0;
    const errors: string[] = [];
    const store = Store.open({ dataDir, now: () => clock, probeIntervalMs: 50, log: (level, msg) => level === 'error' && errors.push(msg) });
    const checkpointer = store.startAuditCheckpoints({ keys: memoryKeys(), schedule: { tickMs: 10, intervalMs: 1000, everyEvents: 1_000_000 } });
    for (let i = 0; i < 20; i += 1) store.appendAudit({ leadId: null, type: 'config', actor: 'test', data: { i } });
    await store.flush();
    await until(() => checkpointer.latest?.seq === 20);

    // Events committed, then the disk fills before the next checkpoint is due.
    for (let i = 0; i < 20; i += 1) store.appendAudit({ leadId: null, type: 'config', actor: 'test', data: { i, more: 'x'.repeat(2000) } });
    await store.flush();
    const filler = fill(mountPoint);
    clock += 1000;
    // The timer's checkpoint is one more write of the queue: the full disk holds it back, and the
    // store says its storage is unavailable, as it would for any write.
    await until(() => !store.storageState().available);
    await sleep(100);
    expect(checkpointer.latest?.seq).toBe(20);
    expect(errors).toEqual(['storage unavailable: writes are retained and retried']);

    fs.rmSync(filler);
    await until(() => checkpointer.latest?.seq === 40);
    expect(store.storageState().available).toBe(true);
    store.close();

    const reader = Store.open({ dataDir, readonly: true });
    expect(await reader.verifyTrailAsync()).toMatchObject({ ok: true, lastCheckpoint: { seq: 40 }, unsignedAfter: 0 });
    reader.close();
  });

  it.skipIf(isRoot)('needs root to mount a small tmpfs (skipped)', () => {
    process.stdout.write('skipped: filling a disk for real needs root to mount a tmpfs\n');
  });
});
