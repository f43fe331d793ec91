import { promises as fs } from 'node:fs';
import path from 'node:path';

/** Types of the files a built renderer and the CSV exports consist of; anything else is a download. */
const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.txt': 'text/plain; charset=utf-8',
  '.csv': 'text/csv; charset=utf-8',
  '.zip': 'application/zip',
  '.wasm': 'application/wasm',
};

export function contentTypeFor(file: string): string {
  return CONTENT_TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
}

export type StaticLookup =
  | { kind: 'file'; path: string; size: number }
  /** The request tried to leave the root (traversal, encoded separators, hidden files, symlinks out). */
  | { kind: 'refused' }
  | { kind: 'missing' };

/**
 * Maps a URL path (still percent-encoded, without the query) to a file inside `rootDir`, or refuses.
 * The decoded path must not contain `..`, backslashes, NUL or dot-files, and the resolved real path
 * (symlinks followed) must stay under the real root: checked by prefix after resolution, not by
 * pattern alone.
 */
export async function resolveStaticFile(rootDir: string, urlPath: string): Promise<StaticLookup> {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return { kind: 'refused' };
  }
  if (!decoded.startsWith('/') || decoded.includes('\0') || decoded.includes('\\')) return { kind: 'refused' };
  const segments = decoded.split('/').filter((s) => s.length > 0);
  if (segments.some((s) => s.startsWith('.'))) return { kind: 'refused' };

  let root: string;
  try {
    root = await fs.realpath(rootDir);
  } catch {
    return { kind: 'missing' };
  }
  const candidate = path.resolve(root, ...segments);
  if (!isInside(root, candidate)) return { kind: 'refused' };
  try {
    const real = await fs.realpath(candidate);
    if (!isInside(root, real)) return { kind: 'refused' };
    const stat = await fs.stat(real);
    if (!stat.isFile()) return { kind: 'missing' };
    return { kind: 'file', path: real, size: stat.size };
  } catch {
    return { kind: 'missing' };
  }
}

function isInside(root: string, candidate: string): boolean {
  return candidate.startsWith(root.endsWith(path.sep) ? root : root + path.sep);
}

/** A file name as the engine writes exports: no separators, no leading dot, nothing exotic. */
export function isPlainFileName(name: string): boolean {
  return /^[A-Za-z0-9][A-Za-z0-9._-]{0,200}$/.test(name) && !name.includes('..');
}
