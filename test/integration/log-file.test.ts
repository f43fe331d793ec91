import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { closeFileLogger, LogFile } from '../../src/engine/observe/file-logger.js';

const cleanups: Array<() => void> = [];
afterEach(() => {
  while (cleanups.length) cleanups.pop()?.();
});

async function until(cond: () => boolean, timeoutMs = 3000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('the engine log file', () => {
  it('writes JSON lines through pino and closes after the last one', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pingdesk-log-'));
    cleanups.push(() => fs.rmSync(dir, { recursive: true, force: true }));
    const file = path.join(dir, 'pingdesk.log');
    const dest = new LogFile(file);
    const logger = pino({ base: undefined }, dest);
    for (let i = 0; i < 100; i++) logger.info({ i }, 'line');
    logger.info('last');
    closeFileLogger(logger);
    await until(() => fs.readFileSync(file, 'utf8').includes('"last"'));
    const lines = fs.readFileSync(file, 'utf8').trim().split('\n');
    expect(lines).toHaveLength(101);
    expect(lines.every((l) => JSON.parse(l) as unknown)).toBe(true);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
  });

  // /dev/full answers every write with ENOSPC: a disk that is full, for real, without root.
  it('on a full device drops lines with a count instead of blocking the event loop or throwing', async () => {
    const dest = new LogFile('/dev/full', { retryMs: 50 });
    cleanups.push(() => dest.close());
    const logger = pino({ base: undefined }, dest);
    const started = Date.now();
    for (let i = 0; i < 20_000; i++) logger.error({ i, pad: 'x'.repeat(100) }, 'line on a full disk');
    const blockedMs = Date.now() - started;
    const tick = await new Promise<number>((resolve) => {
      const at = Date.now();
      setTimeout(() => resolve(Date.now() - at), 0);
    });
    expect(blockedMs).toBeLessThan(2000);
    expect(tick).toBeLessThan(200);
    await until(() => dest.stats().failing !== null);
    expect(dest.stats().failing).toMatch(/^ENOSPC/);
    // Retries keep failing quietly; lines keep being counted, never queued without bound.
    await new Promise((r) => setTimeout(r, 200));
    logger.error('one more');
    expect(dest.stats().written).toBe(0);
    expect(dest.stats().dropped).toBe(20_001);
    await new Promise<void>((resolve) => dest.flush(() => resolve()));
  });
});
