import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';

// The app path the review instance is started with: a script that records the arguments it got.
const review = vi.hoisted(() => ({ appPath: '', showOpenDialog: vi.fn() }));
vi.mock('electron', () => ({
  Menu: { buildFromTemplate: vi.fn((t: unknown) => t), setApplicationMenu: vi.fn() },
  app: { isPackaged: false, getAppPath: () => review.appPath },
  dialog: { showOpenDialog: review.showOpenDialog },
}));

import type { MenuItemConstructorOptions } from 'electron';
import { alreadyRunningMessage, mainDataDir, parseMainArgs } from '../../src/main/args.js';
import { openArchiveInstance } from '../../src/main/file-actions.js';
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

  it('reads --open FILE as a read-only archive review', () => {
    expect(parseMainArgs(['/usr/bin/electron', '/app', '--open', '/cases/17.pdarchive'])).toMatchObject({ archive: '/cases/17.pdarchive', readOnly: true });
    expect(parseMainArgs(['pingdesk', '--data-dir', '/d']).archive).toBeUndefined();
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
  const actions = { openReadOnly: vi.fn(), openArchive: vi.fn(), exportWorkspace: vi.fn(), showDataFolder: vi.fn() };

  it('has the usual menus, with Pingdesk file actions wired to their handlers', () => {
    const template = appMenuTemplate(actions, { platform: 'linux', isPackaged: true });
    expect(labels(template)).toEqual(['File', 'Edit', 'View', 'Window', 'help']);
    const file = template[0].submenu as MenuItemConstructorOptions[];
    expect(labels(file)).toEqual(['Open data folder read-only…', 'Open archive…', 'Export workspace…', 'Show data folder', 'separator', 'Quit']);
    (file[0].click as () => void)();
    (file[1].click as () => void)();
    (file[2].click as () => void)();
    expect(actions.openReadOnly).toHaveBeenCalledTimes(1);
    expect(actions.openArchive).toHaveBeenCalledTimes(1);
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

describe('File → Open archive…', () => {
  it('asks for a .pdarchive file and starts a separate review instance with --open FILE', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pingdesk-open-archive-'));
    try {
      const seen = path.join(dir, 'argv.json');
      review.appPath = path.join(dir, 'record-args.cjs');
      fs.writeFileSync(review.appPath, `require('node:fs').writeFileSync(${JSON.stringify(seen)}, JSON.stringify(process.argv.slice(2)));\n`);
      review.showOpenDialog.mockResolvedValueOnce({ canceled: false, filePaths: ['/cases/17.pdarchive'] });
      await openArchiveInstance(null);
      const options = review.showOpenDialog.mock.calls[0]?.[0] as Electron.OpenDialogOptions;
      expect(options.properties).toEqual(['openFile']);
      expect(options.filters).toEqual([{ name: 'Pingdesk archive', extensions: ['pdarchive'] }]);
      const deadline = Date.now() + 10_000;
      while (!fs.existsSync(seen) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 25));
      expect(JSON.parse(fs.readFileSync(seen, 'utf8'))).toEqual(['--open', '/cases/17.pdarchive']);

      // Cancelled: nothing is started.
      fs.rmSync(seen);
      review.showOpenDialog.mockResolvedValueOnce({ canceled: true, filePaths: [] });
      await openArchiveInstance(null);
      await new Promise((r) => setTimeout(r, 300));
      expect(fs.existsSync(seen)).toBe(false);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
