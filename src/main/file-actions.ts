import { spawn } from 'node:child_process';
import { promises as fs } from 'node:fs';
import { app, dialog } from 'electron';
import type { BrowserWindow } from 'electron';
import type { ConsoleHost } from '../engine/console/console-host.js';
import { ELECTRON_ACTOR } from './ipc.js';

/**
 * File → Open data folder read-only…: a separate app process, so a review copy never shares a
 * process (or a crash) with the running exchange, and the copy is opened with `readOnly`.
 */
export async function openReadOnlyInstance(parent: BrowserWindow | null): Promise<void> {
  const options: Electron.OpenDialogOptions = {
    title: 'Open a copy of a data folder read-only',
    buttonLabel: 'Open read-only',
    properties: ['openDirectory'],
  };
  const picked = parent ? await dialog.showOpenDialog(parent, options) : await dialog.showOpenDialog(options);
  const dir = picked.filePaths[0];
  if (picked.canceled || !dir) return;
  spawnReviewInstance(['--read-only', '--data-dir', dir]);
}

/**
 * File → Open archive…: an archive file (`pingdesk archive`, `.pdarchive`) in its own app process,
 * read-only with no intake, as `pingdesk serve --open` serves it.
 */
export async function openArchiveInstance(parent: BrowserWindow | null): Promise<void> {
  const options: Electron.OpenDialogOptions = {
    title: 'Open an archive for review',
    buttonLabel: 'Open archive',
    properties: ['openFile'],
    filters: [{ name: 'Pingdesk archive', extensions: ['pdarchive'] }],
  };
  const picked = parent ? await dialog.showOpenDialog(parent, options) : await dialog.showOpenDialog(options);
  const file = picked.filePaths[0];
  if (picked.canceled || !file) return;
  spawnReviewInstance(['--open', file]);
}

function spawnReviewInstance(args: string[]): void {
  const appArgs = app.isPackaged ? [] : [app.getAppPath()];
  const child = spawn(process.execPath, [...appArgs, ...args], { detached: true, stdio: 'ignore' });
  child.unref();
}

/** File → Export workspace…: the same `workspace.export` call the console makes, saved as JSON. */
export async function exportWorkspaceToFile(host: ConsoleHost, parent: BrowserWindow | null): Promise<void> {
  const reply = await host.call('workspace.export', {}, { actor: ELECTRON_ACTOR });
  if (!reply.ok) {
    dialog.showErrorBox('Export failed', reply.error.message);
    return;
  }
  const options: Electron.SaveDialogOptions = {
    title: 'Export workspace',
    defaultPath: 'pingdesk-workspace.json',
    filters: [{ name: 'Pingdesk workspace', extensions: ['json'] }],
  };
  const target = parent ? await dialog.showSaveDialog(parent, options) : await dialog.showSaveDialog(options);
  if (target.canceled || !target.filePath) return;
  try {
    await fs.writeFile(target.filePath, `${JSON.stringify(reply.value, null, 2)}\n`, 'utf8');
  } catch (err) {
    dialog.showErrorBox('Export failed', `Could not write ${target.filePath}: ${(err as Error).message}`);
  }
}
