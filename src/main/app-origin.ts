/**
 * The renderer's origin inside Electron: a privileged custom scheme rather than file://, so the
 * page has a real origin that navigation guards, the IPC sender check and the CSP can name.
 */
export const APP_SCHEME = 'pingdesk';
export const APP_HOST = 'app';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_URL = `${APP_ORIGIN}/index.html`;

/** True only for URLs of the app's own origin (exact scheme and host, no credentials or port). */
export function isAppUrl(url: string): boolean {
  try {
    const parsed = new URL(url);
    return parsed.protocol === `${APP_SCHEME}:` && parsed.hostname === APP_HOST && parsed.port === '' && parsed.username === '' && parsed.password === '';
  } catch {
    return false;
  }
}

/** Links the console may hand to the system browser. */
export function isExternalWebUrl(url: string): boolean {
  try {
    const { protocol } = new URL(url);
    return protocol === 'https:' || protocol === 'http:';
  } catch {
    return false;
  }
}
