import { Menu } from 'electron';
import type { MenuItemConstructorOptions } from 'electron';

export interface MenuActions {
  openReadOnly(): void;
  openArchive(): void;
  exportWorkspace(): void;
  showDataFolder(): void;
}

export interface MenuContext {
  platform: NodeJS.Platform;
  /** Developer tools are offered only in unpackaged builds. */
  isPackaged: boolean;
}

/** The application menu: the platform's usual App/File/Edit/View/Window/Help, with Pingdesk's file actions. */
export function appMenuTemplate(actions: MenuActions, ctx: MenuContext): MenuItemConstructorOptions[] {
  const mac = ctx.platform === 'darwin';
  const template: MenuItemConstructorOptions[] = [];
  if (mac) {
    template.push({
      label: 'Pingdesk',
      submenu: [{ role: 'about' }, { type: 'separator' }, { role: 'services' }, { type: 'separator' }, { role: 'hide' }, { role: 'hideOthers' }, { role: 'unhide' }, { type: 'separator' }, { role: 'quit' }],
    });
  }
  template.push(
    {
      label: 'File',
      submenu: [
        { label: 'Open data folder read-only…', accelerator: 'CmdOrCtrl+Shift+O', click: () => actions.openReadOnly() },
        { label: 'Open archive…', click: () => actions.openArchive() },
        { label: 'Export workspace…', accelerator: 'CmdOrCtrl+Shift+E', click: () => actions.exportWorkspace() },
        { label: 'Show data folder', click: () => actions.showDataFolder() },
        { type: 'separator' },
        mac ? { role: 'close' } : { role: 'quit', label: 'Quit' },
      ],
    },
    {
      label: 'Edit',
      submenu: [{ role: 'undo' }, { role: 'redo' }, { type: 'separator' }, { role: 'cut' }, { role: 'copy' }, { role: 'paste' }, { role: 'selectAll' }],
    },
    {
      label: 'View',
      submenu: [
        { role: 'reload' },
        ...(ctx.isPackaged ? [] : [{ role: 'toggleDevTools' } as MenuItemConstructorOptions]),
        { type: 'separator' },
        { role: 'resetZoom' },
        { role: 'zoomIn' },
        { role: 'zoomOut' },
        { type: 'separator' },
        { role: 'togglefullscreen' },
      ],
    },
    { label: 'Window', submenu: mac ? [{ role: 'minimize' }, { role: 'zoom' }, { type: 'separator' }, { role: 'front' }] : [{ role: 'minimize' }, { role: 'close' }] },
    { role: 'help', submenu: [{ label: 'Show data folder', click: () => actions.showDataFolder() }, ...(mac ? [] : [{ role: 'about' } as MenuItemConstructorOptions])] },
  );
  return template;
}

export function installAppMenu(actions: MenuActions, ctx: MenuContext): void {
  Menu.setApplicationMenu(Menu.buildFromTemplate(appMenuTemplate(actions, ctx)));
}
