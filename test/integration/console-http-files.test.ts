import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ConsoleHandlers } from '../../src/engine/console/console-host.js';
import { createConsoleHost } from '../../src/engine/console/console-host.js';
import type { ConsoleServer } from '../../src/engine/console/http-transport.js';
import { startConsoleServer } from '../../src/engine/console/http-transport.js';
import { CONTENT_SECURITY_POLICY } from '../../src/shared/csp.js';

const host = createConsoleHost({ handlers: {} as ConsoleHandlers, readOnly: false, subscribe: () => () => undefined });

function get(port: number, urlPath: string): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }> {
  return new Promise((resolve, reject) => {
    http
      .get({ host: '127.0.0.1', port, path: urlPath }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
      })
      .on('error', reject);
  });
}

let tmp: string;
let staticDir: string;
let exportsDir: string;
let server: ConsoleServer | null = null;

beforeEach(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'pingdesk-http-files-'));
  staticDir = path.join(tmp, 'renderer');
  exportsDir = path.join(tmp, 'exports');
  fs.mkdirSync(path.join(staticDir, 'assets'), { recursive: true });
  fs.mkdirSync(exportsDir);
  fs.writeFileSync(path.join(staticDir, 'index.html'), '<!doctype html><title>console</title><script type="module" src="./assets/app.js"></script>');
  fs.writeFileSync(path.join(staticDir, 'assets', 'app.js'), 'console.log("app")');
  fs.writeFileSync(path.join(staticDir, '.env'), 'HIDDEN');
  fs.writeFileSync(path.join(tmp, 'secret.txt'), 'SECRET-OUTSIDE');
  fs.symlinkSync(path.join(tmp, 'secret.txt'), path.join(staticDir, 'assets', 'link.txt'));
  fs.writeFileSync(path.join(exportsDir, 'leads-2026-11-27.csv'), 'id,status\nl1,sold\n');
});

afterEach(async () => {
  await server?.close();
  server = null;
  fs.rmSync(tmp, { recursive: true, force: true });
});

describe('console HTTP transport: files', () => {
  it('serves index.html for / only with the token, and a notice page without it', async () => {
    server = await startConsoleServer({ host, port: 0, staticDir, exportsDir });
    const withToken = await get(server.port, `/?token=${server.token}`);
    expect(withToken.status).toBe(200);
    expect(withToken.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(withToken.body).toContain('<title>console</title>');
    expect(withToken.headers['content-security-policy']).toBe(CONTENT_SECURITY_POLICY);

    const without = await get(server.port, '/');
    expect(without.status).toBe(401);
    expect(without.body).toContain('printed in the terminal');
    expect(without.body).not.toContain('<title>console</title>');
  });

  it('serves built assets with their content type', async () => {
    server = await startConsoleServer({ host, port: 0, staticDir, exportsDir });
    const js = await get(server.port, '/assets/app.js');
    expect(js.status).toBe(200);
    expect(js.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(js.headers['x-content-type-options']).toBe('nosniff');
    expect(js.body).toBe('console.log("app")');
    expect((await get(server.port, '/assets/nothing.js')).status).toBe(404);
  });

  it('refuses static paths that leave the renderer folder', async () => {
    server = await startConsoleServer({ host, port: 0, staticDir, exportsDir });
    for (const attempt of ['/../secret.txt', '/assets/../../secret.txt', '/%2e%2e/secret.txt', '/assets/..%2f..%2fsecret.txt', '/assets/%5c..%5c..%5csecret.txt', '/assets/link.txt', '/.env', '/%00index.html', '/%E0%A4%A']) {
      const res = await get(server.port, attempt);
      expect(res.status, attempt).toBeGreaterThanOrEqual(400);
      expect(res.body, attempt).not.toContain('SECRET-OUTSIDE');
      expect(res.body, attempt).not.toContain('HIDDEN');
    }
  });

  it('downloads an export with the token and refuses traversal or a missing token', async () => {
    server = await startConsoleServer({ host, port: 0, staticDir, exportsDir });
    const ok = await get(server.port, `/exports/leads-2026-11-27.csv?token=${server.token}`);
    expect(ok.status).toBe(200);
    expect(ok.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(ok.headers['content-disposition']).toBe('attachment; filename="leads-2026-11-27.csv"');
    expect(ok.body).toBe('id,status\nl1,sold\n');

    expect((await get(server.port, '/exports/leads-2026-11-27.csv')).status).toBe(401);
    expect((await get(server.port, `/exports/missing.csv?token=${server.token}`)).status).toBe(404);
    for (const attempt of ['..%2fsecret.txt', '..%2F..%2Fsecret.txt', '%2e%2e', '.hidden', '..%5csecret.txt']) {
      const res = await get(server.port, `/exports/${attempt}?token=${server.token}`);
      expect(res.status, attempt).toBeGreaterThanOrEqual(400);
      expect(res.body, attempt).not.toContain('SECRET-OUTSIDE');
    }
  });

  it('explains how to build when there is no renderer', async () => {
    server = await startConsoleServer({ host, port: 0 });
    const res = await get(server.port, `/?token=${server.token}`);
    expect(res.status).toBe(503);
    expect(res.body).toContain('npm run build');
  });
});
