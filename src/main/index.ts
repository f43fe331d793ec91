import { mkdtempSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { app, BrowserWindow, dialog, session, shell } from 'electron';
import type { Engine } from '../engine/engine.js';
import { startEngine } from '../engine/engine.js';
import { readLockOwner } from '../engine/store/folder-lock.js';
import { alreadyRunningMessage, mainDataDir, parseMainArgs } from './args.js';
import { exportWorkspaceToFile, openArchiveInstance, openReadOnlyInstance } from './file-actions.js';
import { forwardConsoleEvents, registerConsoleIpc } from './ipc.js';
import { installAppMenu } from './menu.js';
import { registerAppScheme, serveRendererProtocol } from './protocol.js';
import { askWhereToSaveDownloads } from './export-downloads.js';
import { askBeforeDiscardingChanges } from './unsaved-close.js';
import { guardAllWebContents, hardenSession } from './security.js';
import { createMainWindow } from './window.js';

/**
 * The desktop app: one engine per process, one console window, the contract carried over IPC.
 * A normal instance owns its data folder (single-instance lock); a `--read-only` instance opens a
 * copy for review beside it, with its own browser profile and no lock.
 */

const here = path.dirname(fileURLToPath(import.meta.url));
const PRELOAD_PATH = path.join(here, '..', 'preload', 'index.cjs');
const RENDERER_DIR = path.join(here, '..', 'renderer');
/** A stuck close must not keep the app from quitting forever; the engine's own drain is bounded at 15 s. */
const SHUTDOWN_TIMEOUT_MS = 20_000;

const args = parseMainArgs(process.argv);
let engine: Engine | null = null;
let mainWindow: BrowserWindow | null = null;
let stopIpc: (() => void) | null = null;
let shutdown: 'running' | 'closing' | 'closed' = 'running';

registerAppScheme();
app.enableSandbox();
guardAllWebContents();

function errorMessage(err: unknown): string {
  const e = err as { message?: string; code?: string };
  return `${e.message ?? String(err)}${e.code ? ` (${e.code})` : ''}`;
}

function openWindow(running: Engine): void {
  const title = args.archive ? `Pingdesk — ${path.basename(args.archive)} (archive, read-only)` : args.readOnly ? `Pingdesk — ${running.dataDir} (read-only)` : 'Pingdesk';
  const win = createMainWindow({ preloadPath: PRELOAD_PATH, title });
  forwardConsoleEvents(running.consoleHost, win.webContents);
  askBeforeDiscardingChanges(win);
  win.on('closed', () => {
    if (mainWindow === win) mainWindow = null;
  });
  mainWindow = win;
}

async function boot(): Promise<void> {
  await app.whenReady();
  hardenSession(session.defaultSession);
  serveRendererProtocol(RENDERER_DIR, () => engine?.exportsDir ?? null);
  askWhereToSaveDownloads(session.defaultSession, () => mainWindow);

  if (args.readOnly && !args.dataDir && !args.archive) {
    dialog.showErrorBox('Pingdesk', 'Read-only mode needs the folder to open: --read-only --data-dir <folder>');
    shutdown = 'closed';
    app.exit(2);
    return;
  }
  const archiveFile = args.archive ? path.resolve(args.archive) : undefined;
  const dataDir = archiveFile ? path.dirname(archiveFile) : path.resolve(mainDataDir(args, app.getPath('userData')));
  try {
    engine = await startEngine({
      dataDir,
      readOnly: args.readOnly,
      archiveFile,
      workspaceFile: args.workspaceFile,
      intakePort: args.intakePort,
      demo: args.demo,
      mode: 'electron',
      version: app.getVersion(),
      metricsKey: process.env.PINGDESK_METRICS_KEY || undefined,
    });
  } catch (err) {
    // Also on the terminal: a folder held by a `pingdesk serve` names the process holding it.
    process.stderr.write(`pingdesk: ${errorMessage(err)}\n`);
    dialog.showErrorBox('Pingdesk could not start', `${dataDir}\n\n${errorMessage(err)}`);
    shutdown = 'closed';
    app.exit(1);
    return;
  }
  const running = engine;
  stopIpc = registerConsoleIpc(running.consoleHost);
  installAppMenu(
    {
      openReadOnly: () => void openReadOnlyInstance(mainWindow),
      openArchive: () => void openArchiveInstance(mainWindow),
      exportWorkspace: () => void exportWorkspaceToFile(running.consoleHost, mainWindow),
      showDataFolder: () => void shell.openPath(running.dataDir),
    },
    { platform: process.platform, isPackaged: app.isPackaged },
  );
  openWindow(running);
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0 && shutdown === 'running') openWindow(running);
  });
}

/** Stops taking calls, lets the engine drain auctions in flight and close the database. */
async function closeEngine(): Promise<void> {
  stopIpc?.();
  stopIpc = null;
  if (!engine) return;
  const closing = engine.close();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<void>((resolve) => {
    timer = setTimeout(() => {
      process.stderr.write('pingdesk: engine did not close in time; quitting anyway\n');
      resolve();
    }, SHUTDOWN_TIMEOUT_MS);
  });
  await Promise.race([closing, timeout]).finally(() => clearTimeout(timer));
  engine = null;
}

app.on('before-quit', (event) => {
  if (shutdown === 'closed') return;
  event.preventDefault();
  if (shutdown === 'closing') return;
  shutdown = 'closing';
  closeEngine()
    .catch((err: unknown) => process.stderr.write(`pingdesk: error while closing: ${errorMessage(err)}\n`))
    .finally(() => {
      shutdown = 'closed';
      app.quit();
    });
});

app.on('window-all-closed', () => {
  // macOS keeps the app (and the exchange) running without a window, as its apps do.
  if (process.platform !== 'darwin') app.quit();
});

for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => app.quit());

function start(): void {
  boot().catch((err: unknown) => {
    dialog.showErrorBox('Pingdesk stopped', errorMessage(err));
    app.quit();
  });
}

if (args.readOnly) {
  // A review window must not share the browser profile (and its locks) of a running instance.
  app.setPath('sessionData', mkdtempSync(path.join(app.getPath('temp'), 'pingdesk-review-')));
  start();
} else if (!app.requestSingleInstanceLock()) {
  // Another instance owns this data folder; it has been asked to show itself. This one did not start.
  const dataDir = path.resolve(mainDataDir(args, app.getPath('userData')));
  process.stderr.write(`${alreadyRunningMessage(dataDir, readLockOwner(dataDir))}\n`);
  shutdown = 'closed';
  app.exit(1);
} else {
  app.on('second-instance', () => {
    if (!mainWindow) return;
    if (mainWindow.isMinimized()) mainWindow.restore();
    mainWindow.focus();
  });
  start();
}
