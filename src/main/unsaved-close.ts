import { dialog } from 'electron';
import type { BrowserWindow } from 'electron';

/**
 * Closing or reloading the window while an editor has unsaved changes: the renderer's
 * `beforeunload` guard only blocks the unload, so the main process asks the question and lets the
 * unload go on when the broker chooses to leave.
 */
export function askBeforeDiscardingChanges(win: Pick<BrowserWindow, 'webContents'>): void {
  win.webContents.on('will-prevent-unload', (event) => {
    const choice = dialog.showMessageBoxSync(win as BrowserWindow, {
      type: 'question',
      buttons: ['Leave without saving', 'Stay'],
      defaultId: 1,
      cancelId: 1,
      message: 'You have unsaved changes.',
      detail: 'Leave without saving them?',
    });
    if (choice === 0) event.preventDefault();
  });
}
