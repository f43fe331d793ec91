import { EventEmitter } from 'node:events';
import { beforeEach, describe, expect, it, vi } from 'vitest';

const electron = vi.hoisted(() => ({
  app: { on: vi.fn() },
  shell: { openExternal: vi.fn(async () => undefined) },
}));
vi.mock('electron', () => electron);

import { APP_URL, isAppUrl } from '../../src/main/app-origin.js';
import { guardAllWebContents, hardenSession, hardenWebContents } from '../../src/main/security.js';
import { CONTENT_SECURITY_POLICY } from '../../src/shared/csp.js';

type OpenHandler = (details: { url: string }) => { action: string };

/** Just enough of Electron's WebContents: an emitter plus the window-open handler slot. */
class FakeContents extends EventEmitter {
  openHandler: OpenHandler | null = null;
  setWindowOpenHandler(handler: OpenHandler) {
    this.openHandler = handler;
  }
}

function navigationEvent(url: string) {
  return { url, preventDefault: vi.fn() };
}

beforeEach(() => {
  vi.clearAllMocks();
});

describe('main process security', () => {
  it('knows the app origin exactly', () => {
    expect(isAppUrl(APP_URL)).toBe(true);
    expect(isAppUrl('pingdesk://app/assets/index.js')).toBe(true);
    for (const url of ['pingdesk://evil/index.html', 'pingdesk://app:8080/', 'pingdesk://user@app/', 'https://app/', 'file:///etc/passwd', 'not a url', 'http://127.0.0.1:7300/']) {
      expect(isAppUrl(url), url).toBe(false);
    }
  });

  it('prevents navigation and redirects to another origin, allows the app origin', () => {
    const contents = new FakeContents();
    hardenWebContents(contents as never);
    for (const channel of ['will-navigate', 'will-redirect']) {
      const away = navigationEvent('https://evil.example/phish');
      contents.emit(channel, away, away.url);
      expect(away.preventDefault, channel).toHaveBeenCalledTimes(1);
      const file = navigationEvent('file:///etc/passwd');
      contents.emit(channel, file, file.url);
      expect(file.preventDefault, channel).toHaveBeenCalledTimes(1);
      const inside = navigationEvent('pingdesk://app/index.html#/buyers');
      contents.emit(channel, inside, inside.url);
      expect(inside.preventDefault, channel).not.toHaveBeenCalled();
    }
  });

  it('denies window.open and hands web links to the system browser', () => {
    const contents = new FakeContents();
    hardenWebContents(contents as never);
    expect(contents.openHandler!({ url: 'https://docs.example/help' })).toEqual({ action: 'deny' });
    expect(electron.shell.openExternal).toHaveBeenCalledWith('https://docs.example/help');
    expect(contents.openHandler!({ url: 'file:///etc/passwd' })).toEqual({ action: 'deny' });
    expect(contents.openHandler!({ url: 'pingdesk://app/index.html' })).toEqual({ action: 'deny' });
    expect(contents.openHandler!({ url: 'javascript:alert(1)' })).toEqual({ action: 'deny' });
    expect(electron.shell.openExternal).toHaveBeenCalledTimes(1);
  });

  it('refuses to attach webviews', () => {
    const contents = new FakeContents();
    hardenWebContents(contents as never);
    const event = { preventDefault: vi.fn() };
    contents.emit('will-attach-webview', event, {}, {});
    expect(event.preventDefault).toHaveBeenCalled();
  });

  it('hardens every web contents the app creates', () => {
    guardAllWebContents();
    expect(electron.app.on).toHaveBeenCalledWith('web-contents-created', expect.any(Function));
    const listener = electron.app.on.mock.calls[0][1] as (e: unknown, c: FakeContents) => void;
    const contents = new FakeContents();
    listener({}, contents);
    const away = navigationEvent('https://evil.example/');
    contents.emit('will-navigate', away, away.url);
    expect(away.preventDefault).toHaveBeenCalled();
    const webview = { preventDefault: vi.fn() };
    contents.emit('will-attach-webview', webview, {}, {});
    expect(webview.preventDefault).toHaveBeenCalled();
    expect(contents.openHandler!({ url: 'https://x.example/' })).toEqual({ action: 'deny' });
  });

  it('denies every permission request and check, and stamps the CSP on responses', () => {
    const session = {
      setPermissionRequestHandler: vi.fn(),
      setPermissionCheckHandler: vi.fn(),
      setDevicePermissionHandler: vi.fn(),
      webRequest: { onHeadersReceived: vi.fn() },
    };
    hardenSession(session as never);

    const request = session.setPermissionRequestHandler.mock.calls[0][0] as (wc: unknown, permission: string, cb: (granted: boolean) => void) => void;
    for (const permission of ['media', 'notifications', 'clipboard-read', 'geolocation', 'openExternal']) {
      const callback = vi.fn();
      request({}, permission, callback);
      expect(callback, permission).toHaveBeenCalledWith(false);
    }
    const check = session.setPermissionCheckHandler.mock.calls[0][0] as (...a: unknown[]) => boolean;
    expect(check({}, 'media', 'pingdesk://app', {})).toBe(false);
    const device = session.setDevicePermissionHandler.mock.calls[0][0] as (...a: unknown[]) => boolean;
    expect(device({})).toBe(false);

    const onHeaders = session.webRequest.onHeadersReceived.mock.calls[0][0] as (d: unknown, cb: (r: { responseHeaders: Record<string, string[]> }) => void) => void;
    const callback = vi.fn();
    onHeaders({ responseHeaders: { 'content-type': ['text/html'], 'content-security-policy': ["default-src *"] } }, callback);
    const headers = callback.mock.calls[0][0].responseHeaders as Record<string, string[]>;
    expect(headers['Content-Security-Policy']).toEqual([CONTENT_SECURITY_POLICY]);
    expect(headers['content-security-policy']).toBeUndefined();
    expect(headers['content-type']).toEqual(['text/html']);
  });

  it('uses the strict policy the renderer and browser mode share', () => {
    expect(CONTENT_SECURITY_POLICY).toBe(
      "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'",
    );
  });
});
