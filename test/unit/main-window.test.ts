import { beforeEach, describe, expect, it, vi } from 'vitest';

const electron = vi.hoisted(() => {
  const created: Array<{ options: unknown; loadURL: ReturnType<typeof vi.fn>; once: ReturnType<typeof vi.fn>; show: ReturnType<typeof vi.fn> }> = [];
  class BrowserWindow {
    loadURL = vi.fn(async () => undefined);
    once = vi.fn();
    show = vi.fn();
    constructor(options: unknown) {
      created.push({ options, loadURL: this.loadURL, once: this.once, show: this.show });
    }
  }
  return { BrowserWindow, created };
});
vi.mock('electron', () => ({ BrowserWindow: electron.BrowserWindow }));

import { createMainWindow } from '../../src/main/window.js';

beforeEach(() => {
  electron.created.length = 0;
});

describe('main window', () => {
  it('is created with exactly the secure web preferences', () => {
    createMainWindow({ preloadPath: '/app/out/preload/index.cjs', title: 'Pingdesk' });
    expect(electron.created).toHaveLength(1);
    const options = electron.created[0].options as { webPreferences: Record<string, unknown> };
    expect(options.webPreferences).toEqual({
      preload: '/app/out/preload/index.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webviewTag: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      navigateOnDragDrop: false,
      safeDialogs: true,
      spellcheck: false,
    });
    expect(options).toMatchObject({ title: 'Pingdesk', show: false });
  });

  it('loads the renderer from the app protocol, never from a file or http URL', () => {
    createMainWindow({ preloadPath: '/p.cjs', title: 'Pingdesk' });
    expect(electron.created[0].loadURL).toHaveBeenCalledWith('pingdesk://app/index.html');
  });

  it('shows itself once ready to paint', () => {
    createMainWindow({ preloadPath: '/p.cjs', title: 'Pingdesk' });
    const [event, show] = electron.created[0].once.mock.calls[0] as [string, () => void];
    expect(event).toBe('ready-to-show');
    expect(electron.created[0].show).not.toHaveBeenCalled();
    show();
    expect(electron.created[0].show).toHaveBeenCalled();
  });
});
