import { createReadStream, promises as fs } from 'node:fs';
import path from 'node:path';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { tokensMatch } from './http-guards.js';
import { tokenGuard, wireError } from './http-replies.js';
import { renderNoticePage } from './notice-page.js';
import { contentTypeFor, isPlainFileName, resolveStaticFile } from './static-files.js';

interface FileRoutesOptions {
  token: string;
  /** The built renderer (out/renderer); without it `/` explains how to build. */
  staticDir?: string;
  /** Where the engine writes CSV exports, served at `/exports/<file>`. */
  exportsDir?: string;
}

/** Files: CSV exports (token), the console page (token in the link) and its hashed assets (public, they carry no data). */
export function registerFileRoutes(app: FastifyInstance, o: FileRoutesOptions): void {
  app.get('/exports/:file', { onRequest: tokenGuard(o.token, 'query') }, async (req, reply) => {
    const { file } = req.params as { file: string };
    if (!isPlainFileName(file)) return reply.code(400).send(wireError('forbidden', 'Not an export file name'));
    const found = o.exportsDir ? await resolveStaticFile(o.exportsDir, `/${encodeURIComponent(file)}`) : { kind: 'missing' as const };
    if (found.kind !== 'file') return reply.code(404).send(wireError('not_found', `No export named ${file}`));
    return reply
      .type(contentTypeFor(found.path))
      .header('Content-Length', found.size)
      .header('Content-Disposition', `attachment; filename="${file}"`)
      .header('Cache-Control', 'no-store')
      .send(createReadStream(found.path));
  });

  const serveIndex = async (req: FastifyRequest, reply: FastifyReply) => {
    reply.header('Cache-Control', 'no-store');
    if (!tokensMatch((req.query as Record<string, unknown>).token, o.token)) {
      return reply.code(401).type('text/html; charset=utf-8').send(renderNoticePage('Open Pingdesk with its link', 'This console needs the full address printed in the terminal when it started (it ends with <code>?token=…</code>). Copy that address into the browser.'));
    }
    const index = o.staticDir ? path.join(o.staticDir, 'index.html') : null;
    const html = index ? await fs.readFile(index).catch(() => null) : null;
    if (!html) return reply.code(503).type('text/html; charset=utf-8').send(renderNoticePage('The console is not built', 'Run <code>npm run build</code>, then start the console again.'));
    return reply.type('text/html; charset=utf-8').send(html);
  };
  app.get('/', serveIndex);
  app.get('/index.html', serveIndex);

  app.get('/*', async (req, reply) => {
    const urlPath = req.url.split('?')[0];
    if (urlPath.startsWith('/api/')) return reply.code(404).send(wireError('not_found', `No route ${urlPath}`));
    const found = o.staticDir ? await resolveStaticFile(o.staticDir, urlPath) : { kind: 'missing' as const };
    if (found.kind === 'refused') return reply.code(400).send(wireError('forbidden', 'Path refused'));
    // Browsers ask for a favicon on their own; an empty answer keeps their console free of 404s.
    if (found.kind === 'missing' && urlPath === '/favicon.ico') return reply.code(204).send();
    if (found.kind === 'missing') return reply.code(404).send(wireError('not_found', 'Not found'));
    return reply.type(contentTypeFor(found.path)).header('Content-Length', found.size).header('Cache-Control', 'no-cache').send(createReadStream(found.path));
  });
}
