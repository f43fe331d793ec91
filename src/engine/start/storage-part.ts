import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Logger } from 'pino';
import { claimDemoFolder } from '../demo/demo-folder.js';
import type { EngineOptions } from '../engine-options.js';
import { closeFileLogger, createFileLogger } from '../observe/file-logger.js';
import type { StartedParts } from '../started-parts.js';
import { lockDataFolder } from '../store/folder-lock.js';
import { Store } from '../store/index.js';
import { EXPORTS_DIR, makeDataFilesPrivate, preparePrivateFolder } from '../store/private-files.js';

export interface StoragePart {
  logger: Logger;
  store: Store;
  exportsDir: string;
}

/**
 * The data folder, its log and its store, recovered: locks the folder (unless read-only), opens the
 * database, starts signing audit checkpoints and closes the auctions a crash left open.
 */
export function startStorage(opts: EngineOptions, now: () => number, readOnly: boolean, parts: StartedParts): StoragePart {
  // Read-only review takes no lock: it opens a copy, or reads beside a running engine.
  if (!readOnly) claimDataFolder(opts.dataDir, now, parts);
  const logger = opts.logger ?? createFileLogger(opts.dataDir, readOnly);
  parts.add('logger', () => {
    logger.info('engine closed');
    logger.flush?.();
    if (!opts.logger) closeFileLogger(logger);
  });
  const store = openStore(opts, now, logger);
  parts.add('store', () => store.close());
  // A reviewer's copy may sit on read-only media: its exports go to a temporary folder.
  const exportsDir = readOnly ? mkdtempSync(join(tmpdir(), 'pingdesk-exports-')) : join(opts.dataDir, EXPORTS_DIR);
  // Before anything is changed: the demo never runs on (nor recovers) a broker's own folder.
  if (!readOnly && opts.demo) claimDemoFolder(store, opts.dataDir);
  if (!readOnly) {
    // Events of direct changes an earlier stop cut off join the trail before anything else is signed or appended.
    const late = store.recoverAuditOutbox();
    if (late) logger.warn({ count: late }, 'appended the audit events of changes an earlier stop stored without them');
    // Signs the audit chain's head on a timer; store.close() signs the last one.
    store.startAuditCheckpoints({ keyFile: opts.signingKeyFile, keys: opts.signingKeys, schedule: opts.auditCheckpoints });
    // WAL checkpoints run in a worker thread, never inside a commit on the event loop.
    store.startWalCheckpoints();
    const interrupted = store.closeInterruptedAuctions(now());
    if (interrupted.length) logger.warn({ count: interrupted.length }, 'closed auctions left open by an earlier stop');
  }
  return { logger, store, exportsDir };
}

/**
 * One engine per folder: the folder is created private, locked (refused at once, before the
 * database is touched, when another engine holds it), and its files tightened to 0600.
 */
function claimDataFolder(dataDir: string, now: () => number, parts: StartedParts): void {
  preparePrivateFolder(dataDir);
  const lock = lockDataFolder(dataDir, now);
  parts.add('folder lock', () => lock.release());
  makeDataFilesPrivate(dataDir);
}

function openStore(opts: EngineOptions, now: () => number, logger: Logger): Store {
  return Store.open({
    dataDir: opts.dataDir,
    readonly: opts.readOnly === true || opts.archiveFile !== undefined,
    databaseFile: opts.archiveFile,
    durability: opts.durability,
    writerThread: opts.writerThread,
    now,
    log: (level: string, msg: string, obj?: unknown) => logger[level === 'error' ? 'error' : level === 'warn' ? 'warn' : 'info']({ detail: obj }, msg),
  });
}
