import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

const electron = vi.hoisted(() => ({
  protocol: { registerSchemesAsPrivileged: vi.fn(), handle: vi.fn() },
}));
vi.mock('electron', () => electron);

import { registerAppScheme, respondFromRenderer, serveRendererProtocol } from '../../src/main/protocol.js';
import { CONTENT_SECURITY_POLICY } from '../../src/shared/csp.js';

let tmp: string;
let root: string;

beforeEach(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'pingdesk-protocol-'));
  root = path.join(tmp, 'renderer');
  fs.mkdirSync(path.join(root, 'assets'), { recursive: true });
  fs.writeFileSync(path.join(root, 'index.html'), '<!doctype html><title>console</title>');
  fs.writeFileSync(path.join(root, 'assets', 'index-abc.js'), 'export {}');
  fs.writeFileSync(path.join(tmp, 'secret.txt'), 'SECRET-OUTSIDE');
  fs.symlinkSync(path.join(tmp, 'secret.txt'), path.join(root, 'assets', 'escape.js'));
  vi.clearAllMocks();
});
afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe('app protocol', () => {
  it('registers pingdesk as a standard, secure scheme that cannot bypass the CSP', () => {
    registerAppScheme();
    const [schemes] = electron.protocol.registerSchemesAsPrivileged.mock.calls[0] as [Array<{ scheme: string; privileges: Record<string, boolean> }>];
    expect(schemes).toHaveLength(1);
    expect(schemes[0].scheme).toBe('pingdesk');
    expect(schemes[0].privileges).toMatchObject({ standard: true, secure: true, bypassCSP: false });
  });

  it('serves the built renderer files with their type and the CSP', async () => {
    const index = await respondFromRenderer(root, 'pingdesk://app/index.html');
    expect(index.status).toBe(200);
    expect(index.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(index.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
    expect(await index.text()).toContain('<title>console</title>');
    expect((await respondFromRenderer(root, 'pingdesk://app/')).status).toBe(200);
    const js = await respondFromRenderer(root, 'pingdesk://app/assets/index-abc.js');
    expect(js.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect((await respondFromRenderer(root, 'pingdesk://app/assets/missing.js')).status).toBe(404);
  });

  it('refuses ../ traversal, encoded separators and symlinks out of the renderer folder', async () => {
    for (const url of [
      'pingdesk://app/../secret.txt',
      'pingdesk://app/assets/../../secret.txt',
      'pingdesk://app/%2e%2e/secret.txt',
      'pingdesk://app/assets/..%2f..%2fsecret.txt',
      'pingdesk://app/assets/..%5c..%5csecret.txt',
      'pingdesk://app/assets/escape.js',
      'pingdesk://app/%00',
    ]) {
      const res = await respondFromRenderer(root, url);
      expect(res.status, url).toBeGreaterThanOrEqual(400);
      expect(await res.text(), url).not.toContain('SECRET-OUTSIDE');
    }
  });

  it('answers only GET on host app', async () => {
    expect((await respondFromRenderer(root, 'pingdesk://other/index.html')).status).toBe(404);
    expect((await respondFromRenderer(root, 'pingdesk://app/index.html', 'POST')).status).toBe(405);
  });

  it('registers one handler for the scheme that answers from the renderer folder', async () => {
    serveRendererProtocol(root);
    expect(electron.protocol.handle).toHaveBeenCalledTimes(1);
    const [scheme, handler] = electron.protocol.handle.mock.calls[0] as [string, (r: { url: string; method: string }) => Promise<Response>];
    expect(scheme).toBe('pingdesk');
    const res = await handler({ url: 'pingdesk://app/../../secret.txt', method: 'GET' });
    expect(await res.text()).not.toContain('SECRET-OUTSIDE');
  });
});
