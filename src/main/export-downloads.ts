import { promises as fs } from 'node:fs';
import path from 'node:path';
import { app, dialog } from 'electron';
import type { BrowserWindow, DownloadItem, Session } from 'electron';
import { contentTypeFor, isPlainFileName, resolveStaticFile } from '../engine/console/static-files.js';
import { SECURITY_HEADERS } from '../shared/csp.js';

/** The app-origin path exports are downloaded from: `pingdesk://app/exports/<file>`, as in browser mode. */
export const EXPORTS_PATH = '/exports/';

/**
 * Answers `pingdesk://app/exports/<file>` from the engine's exports folder, as an attachment (so the
 * window downloads it rather than showing it). Only a plain file name directly in the folder is served:
 * no sub-folders, no traversal, no dot-files, nothing whose real path leaves the folder.
 */
export async function respondFromExports(exportsDir: string | null, pathname: string, method = 'GET'): Promise<Response> {
  const name = safeDecode(pathname.slice(EXPORTS_PATH.length));
  const headers = { ...SECURITY_HEADERS, 'Content-Type': 'text/plain; charset=utf-8' };
  if (!exportsDir || name === null || !isPlainFileName(name)) return new Response('Not an export file name', { status: 403, headers });
  const found = await resolveStaticFile(exportsDir, `/${encodeURIComponent(name)}`);
  if (found.kind !== 'file') return new Response('No such export', { status: found.kind === 'refused' ? 403 : 404, headers });
  const body = method === 'HEAD' ? null : await fs.readFile(found.path);
  return new Response(body, {
    status: 200,
    headers: { ...SECURITY_HEADERS, 'Content-Type': contentTypeFor(found.path), 'Content-Disposition': `attachment; filename="${name}"`, 'Cache-Control': 'no-store' },
  });
}

function safeDecode(text: string): string | null {
  try {
    return decodeURIComponent(text);
  } catch {
    return null;
  }
}

/**
 * Every download of the window (an export, an evidence bundle) asks where to save it with the
 * system's save dialog; cancelling it cancels the download. Nothing is written without that answer.
 */
export function askWhereToSaveDownloads(session: Pick<Session, 'on'>, parent: () => BrowserWindow | null): void {
  session.on('will-download', (_event, item: DownloadItem) => {
    const options: Electron.SaveDialogOptions = {
      title: 'Save export',
      buttonLabel: 'Save',
      defaultPath: path.join(app.getPath('downloads'), item.getFilename()),
    };
    const win = parent();
    const target = win ? dialog.showSaveDialogSync(win, options) : dialog.showSaveDialogSync(options);
    if (!target) item.cancel();
    else item.setSavePath(target);
  });
}
