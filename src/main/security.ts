import { app, shell } from 'electron';
import type { Session, WebContents } from 'electron';
import { CONTENT_SECURITY_POLICY } from '../shared/csp.js';
import { isAppUrl, isExternalWebUrl } from './app-origin.js';

/**
 * Locks one web contents to the app: it may navigate or be redirected only within the app origin,
 * it opens no windows (web links go to the system browser) and it attaches no webviews.
 */
export function hardenWebContents(contents: WebContents): void {
  contents.on('will-navigate', (event, url) => {
    if (!isAppUrl(event.url || url)) event.preventDefault();
  });
  contents.on('will-redirect', (event, url) => {
    if (!isAppUrl(event.url || url)) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    if (isExternalWebUrl(url)) void shell.openExternal(url);
    return { action: 'deny' };
  });
}

/**
 * The session grants nothing (camera, notifications, clipboard, HID, ...) and stamps the console CSP
 * on every response, replacing whatever CSP a response carried.
 */
export function hardenSession(session: Session): void {
  session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
  session.setDevicePermissionHandler(() => false);
  session.webRequest.onHeadersReceived((details, callback) => {
    const headers: Record<string, string | string[]> = {};
    for (const [name, value] of Object.entries(details.responseHeaders ?? {})) {
      if (name.toLowerCase() !== 'content-security-policy') headers[name] = value;
    }
    headers['Content-Security-Policy'] = [CONTENT_SECURITY_POLICY];
    callback({ responseHeaders: headers });
  });
}

/** Every web contents the app ever creates is hardened, whoever creates it; call before the first window. */
export function guardAllWebContents(): void {
  app.on('web-contents-created', (_event, contents) => hardenWebContents(contents));
}
