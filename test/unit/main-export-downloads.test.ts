import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

const electron = vi.hoisted(() => ({
  app: { getPath: vi.fn(() => '/home/broker/Downloads') },
  dialog: { showSaveDialogSync: vi.fn() },
  protocol: { registerSchemesAsPrivileged: vi.fn(), handle: vi.fn() },
}));
vi.mock('electron', () => electron);

import { askWhereToSaveDownloads, respondFromExports } from '../../src/main/export-downloads.js';
import { respondFromRenderer } from '../../src/main/protocol.js';

let tmp: string;
let exportsDir: string;
let rendererDir: string;

beforeEach(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'pingdesk-exports-'));
  exportsDir = path.join(tmp, 'exports');
  rendererDir = path.join(tmp, 'renderer');
  fs.mkdirSync(exportsDir);
  fs.mkdirSync(rendererDir);
  fs.writeFileSync(path.join(rendererDir, 'index.html'), '<!doctype html>');
  fs.writeFileSync(path.join(exportsDir, 'leads-2026.csv'), 'lead_id\nL1\n');
  fs.writeFileSync(path.join(tmp, 'secret.txt'), 'SECRET');
  fs.symlinkSync(path.join(tmp, 'secret.txt'), path.join(exportsDir, 'escape.csv'));
  vi.clearAllMocks();
});
afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

function fakeItem(fileName: string) {
  return { getFilename: () => fileName, cancel: vi.fn(), setSavePath: vi.fn() };
}

describe('exports in the Electron window', () => {
  it('an export is served from the exports folder as an attachment on the app origin', async () => {
    const res = await respondFromRenderer(rendererDir, 'pingdesk://app/exports/leads-2026.csv?token=', 'GET', () => exportsDir);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-disposition')).toBe('attachment; filename="leads-2026.csv"');
    expect(await res.text()).toBe('lead_id\nL1\n');
  });

  it('traversal, sub-paths, symlinks out of the folder and a missing folder are refused', async () => {
    for (const p of ['/exports/..%2Fsecret.txt', '/exports/sub%2Fx.csv', '/exports/escape.csv', '/exports/.hidden.csv', '/exports/%E0%A4%A']) {
      const res = await respondFromExports(exportsDir, p);
      expect(res.status, p).toBeGreaterThanOrEqual(400);
      expect(await res.text()).not.toContain('SECRET');
    }
    expect((await respondFromExports(null, '/exports/leads-2026.csv')).status).toBe(403);
    expect((await respondFromExports(exportsDir, '/exports/nothing.csv')).status).toBe(404);
  });

  it('a download asks where to save it with the save dialog, and saves there', () => {
    const handlers: Array<(e: unknown, item: ReturnType<typeof fakeItem>) => void> = [];
    const session = { on: vi.fn((_name: string, h: (e: unknown, item: ReturnType<typeof fakeItem>) => void) => handlers.push(h)) };
    const win = { id: 1 };
    askWhereToSaveDownloads(session as never, () => win as never);
    expect(session.on).toHaveBeenCalledWith('will-download', expect.any(Function));

    electron.dialog.showSaveDialogSync.mockReturnValueOnce('/home/broker/counsel/leads.csv');
    const item = fakeItem('leads-2026.csv');
    handlers[0]({}, item);
    expect(electron.dialog.showSaveDialogSync).toHaveBeenCalledWith(win, expect.objectContaining({ title: 'Save export', defaultPath: path.join('/home/broker/Downloads', 'leads-2026.csv') }));
    expect(item.setSavePath).toHaveBeenCalledWith('/home/broker/counsel/leads.csv');
    expect(item.cancel).not.toHaveBeenCalled();
  });

  it('cancelling the save dialog cancels the download: nothing is written', () => {
    const handlers: Array<(e: unknown, item: ReturnType<typeof fakeItem>) => void> = [];
    askWhereToSaveDownloads({ on: (_n: string, h: (e: unknown, item: ReturnType<typeof fakeItem>) => void) => handlers.push(h) } as never, () => null);
    electron.dialog.showSaveDialogSync.mockReturnValueOnce(undefined);
    const item = fakeItem('audit.csv');
    handlers[0]({}, item);
    expect(electron.dialog.showSaveDialogSync).toHaveBeenCalledWith(expect.objectContaining({ title: 'Save export' }));
    expect(item.cancel).toHaveBeenCalled();
    expect(item.setSavePath).not.toHaveBeenCalled();
  });
});

describe('closing the window with unsaved changes', () => {
  it('asks; "Leave without saving" lets the window close, "Stay" keeps it', async () => {
    const electronMock = electron as unknown as { dialog: { showMessageBoxSync?: ReturnType<typeof vi.fn> } };
    electronMock.dialog.showMessageBoxSync = vi.fn();
    const { askBeforeDiscardingChanges } = await import('../../src/main/unsaved-close.js');
    let handler: ((e: { preventDefault: () => void }) => void) | undefined;
    const win = { webContents: { on: vi.fn((_n: string, h: typeof handler) => (handler = h)) } };
    askBeforeDiscardingChanges(win as never);
    expect(win.webContents.on).toHaveBeenCalledWith('will-prevent-unload', expect.any(Function));

    const leave = { preventDefault: vi.fn() };
    electronMock.dialog.showMessageBoxSync.mockReturnValueOnce(0);
    handler?.(leave);
    expect(leave.preventDefault).toHaveBeenCalled();

    const stay = { preventDefault: vi.fn() };
    electronMock.dialog.showMessageBoxSync.mockReturnValueOnce(1);
    handler?.(stay);
    expect(stay.preventDefault).not.toHaveBeenCalled();
    expect(electronMock.dialog.showMessageBoxSync).toHaveBeenCalledWith(win, expect.objectContaining({ message: 'You have unsaved changes.' }));
  });
});
