import { promises as fs } from 'node:fs';
import { protocol } from 'electron';
import { contentTypeFor, resolveStaticFile } from '../engine/console/static-files.js';
import { SECURITY_HEADERS } from '../shared/csp.js';
import { APP_HOST, APP_SCHEME } from './app-origin.js';
import { EXPORTS_PATH, respondFromExports } from './export-downloads.js';

/**
 * Must run before the app is ready, and only once (a second call replaces the first). `standard`
 * gives the scheme a real origin and relative URL resolution, `secure` makes it a secure context;
 * `supportFetchAPI` and `corsEnabled` let Vite's `<script type="module" crossorigin>` load, since
 * module scripts are CORS-mode fetches. It may not bypass the CSP.
 */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true, corsEnabled: true, codeCache: true, bypassCSP: false } },
  ]);
}

function plain(status: number, text: string): Response {
  return new Response(text, { status, headers: { ...SECURITY_HEADERS, 'Content-Type': 'text/plain; charset=utf-8' } });
}

/**
 * Answers one `pingdesk://app/...` request from the built renderer folder. Anything that is not a
 * GET of a file under `rootDir` on host `app` is refused; traversal is refused by the same resolver
 * that guards browser mode's static files.
 */
export async function respondFromRenderer(rootDir: string, requestUrl: string, method = 'GET', exportsDir?: () => string | null): Promise<Response> {
  let url: URL;
  try {
    url = new URL(requestUrl);
  } catch {
    return plain(400, 'Bad request');
  }
  if (url.protocol !== `${APP_SCHEME}:` || url.hostname !== APP_HOST) return plain(404, 'Not found');
  if (method !== 'GET' && method !== 'HEAD') return plain(405, 'Method not allowed');
  if (exportsDir && url.pathname.startsWith(EXPORTS_PATH)) return respondFromExports(exportsDir(), url.pathname, method);
  const pathname = url.pathname === '/' ? '/index.html' : url.pathname;
  const found = await resolveStaticFile(rootDir, pathname);
  if (found.kind === 'refused') return plain(403, 'Refused');
  if (found.kind === 'missing') return plain(404, 'Not found');
  const body = method === 'HEAD' ? null : await fs.readFile(found.path);
  return new Response(body, {
    status: 200,
    headers: { ...SECURITY_HEADERS, 'Content-Type': contentTypeFor(found.path), 'Cache-Control': 'no-cache' },
  });
}

/**
 * Serves the renderer on the default session; call once the app is ready. With `exportsDir`, the
 * engine's exports are downloadable at `pingdesk://app/exports/<file>` (the folder is known only once
 * the engine has started, hence a getter).
 */
export function serveRendererProtocol(rootDir: string, exportsDir?: () => string | null): void {
  protocol.handle(APP_SCHEME, (request) => respondFromRenderer(rootDir, request.url, request.method, exportsDir));
}
