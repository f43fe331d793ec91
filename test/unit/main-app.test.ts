import { describe, expect, it, vi } from 'vitest';

vi.mock('electron', () => ({ Menu: { buildFromTemplate: vi.fn((t: unknown) => t), setApplicationMenu: vi.fn() } }));

import type { MenuItemConstructorOptions } from 'electron';
import { alreadyRunningMessage, mainDataDir, parseMainArgs } from '../../src/main/args.js';
import { appMenuTemplate } from '../../src/main/menu.js';

function labels(items: MenuItemConstructorOptions[]): string[] {
  return items.map((i) => i.label ?? i.role ?? i.type ?? '?');
}

describe('main process command line', () => {
  it('reads --read-only --data-dir among Electron and Chromium arguments', () => {
    expect(parseMainArgs(['/usr/bin/electron', '/app', '--no-sandbox', '--read-only', '--data-dir', '/copies/case-17'])).toEqual({
      dataDir: '/copies/case-17',
      readOnly: true,
      workspaceFile: undefined,
      intakePort: undefined,
      demo: false,
    });
    expect(parseMainArgs(['pingdesk', '--data-dir=/d', '--workspace', 'w.json', '--intake-port', '7401', '--demo'])).toEqual({
      dataDir: '/d',
      readOnly: false,
      workspaceFile: 'w.json',
      intakePort: 7401,
      demo: true,
    });
  });

  it('ignores a flag without its value and a port that is not one', () => {
    expect(parseMainArgs(['x', '--data-dir', '--read-only']).dataDir).toBeUndefined();
    expect(parseMainArgs(['x', '--intake-port', '99999']).intakePort).toBeUndefined();
    expect(parseMainArgs(['x', '--intake-port', '12ab']).intakePort).toBeUndefined();
  });
});

describe('main process data folder', () => {
  it('gives the demo a folder of its own unless one is asked for', () => {
    expect(mainDataDir({ demo: false }, '/home/ana/.config/Pingdesk')).toBe('/home/ana/.config/Pingdesk/data');
    expect(mainDataDir({ demo: true }, '/home/ana/.config/Pingdesk')).toBe('/home/ana/.config/Pingdesk/data-demo');
    expect(mainDataDir({ demo: true, dataDir: '/srv/demo' }, '/home/ana/.config/Pingdesk')).toBe('/srv/demo');
  });

  it('says which process holds the folder when a second instance exits', () => {
    expect(alreadyRunningMessage('/srv/data', { pid: 4242 })).toContain('(process 4242) on /srv/data');
    expect(alreadyRunningMessage('/srv/data', null)).toContain('another Pingdesk instance');
  });
});

describe('application menu', () => {
  const actions = { openReadOnly: vi.fn(), exportWorkspace: vi.fn(), showDataFolder: vi.fn() };

  it('has the usual menus, with Pingdesk file actions wired to their handlers', () => {
    const template = appMenuTemplate(actions, { platform: 'linux', isPackaged: true });
    expect(labels(template)).toEqual(['File', 'Edit', 'View', 'Window', 'help']);
    const file = template[0].submenu as MenuItemConstructorOptions[];
    expect(labels(file)).toEqual(['Open data folder read-only…', 'Export workspace…', 'Show data folder', 'separator', 'Quit']);
    (file[0].click as () => void)();
    (file[1].click as () => void)();
    expect(actions.openReadOnly).toHaveBeenCalledTimes(1);
    expect(actions.exportWorkspace).toHaveBeenCalledTimes(1);
  });

  it('adds the app menu on macOS and developer tools only when unpackaged', () => {
    const mac = appMenuTemplate(actions, { platform: 'darwin', isPackaged: false });
    expect(labels(mac)).toEqual(['Pingdesk', 'File', 'Edit', 'View', 'Window', 'help']);
    const view = (dev: boolean) => (appMenuTemplate(actions, { platform: 'linux', isPackaged: !dev })[2].submenu as MenuItemConstructorOptions[]).map((i) => i.role);
    expect(view(true)).toContain('toggleDevTools');
    expect(view(false)).not.toContain('toggleDevTools');
  });
});
