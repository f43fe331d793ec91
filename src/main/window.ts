import { BrowserWindow } from 'electron';
import type { BrowserWindowConstructorOptions } from 'electron';
import { APP_URL } from './app-origin.js';

/**
 * The console window's options. The renderer is an untrusted web page that reaches the engine only
 * through the preload's `window.pingdesk` bridge: isolated, sandboxed, no Node, no webviews.
 * Tests assert this object exactly; a change here is a security review.
 */
export function mainWindowOptions(preloadPath: string, title: string): BrowserWindowConstructorOptions {
  return {
    title,
    width: 1440,
    height: 900,
    minWidth: 1024,
    minHeight: 640,
    show: false,
    backgroundColor: '#0f172a',
    webPreferences: {
      preload: preloadPath,
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
    },
  };
}

/** Opens the console window on the app origin; it shows itself once the first paint is ready. */
export function createMainWindow(opts: { preloadPath: string; title: string }): BrowserWindow {
  const win = new BrowserWindow(mainWindowOptions(opts.preloadPath, opts.title));
  win.once('ready-to-show', () => win.show());
  void win.loadURL(APP_URL);
  return win;
}
