import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { HandlerDeps, HandlersOf } from './handler-deps.js';

/** Files the console offers for download: what `export.csv`, `leads.evidence` and the key export write. */
const EXPORT_FILE = /^[A-Za-z0-9][A-Za-z0-9._-]{0,200}\.(csv|zip|pem)$/;

/**
 * `exports.list`: the exports folder as the broker sees it, newest first, with each file's size and
 * time. Every export writes one new file, so this list is also the history of what was exported.
 */
export function exportsHandlers({ exportsDir }: Pick<HandlerDeps, 'exportsDir'>): HandlersOf<'exports'> {
  return {
    'exports.list': ({ limit }) => {
      let names: string[];
      try {
        names = readdirSync(exportsDir);
      } catch {
        return { dir: exportsDir, files: [] };
      }
      const files = names
        .filter((name) => EXPORT_FILE.test(name))
        .flatMap((fileName) => {
          try {
            const st = statSync(join(exportsDir, fileName));
            return st.isFile() ? [{ fileName, bytes: st.size, modifiedAt: Math.round(st.mtimeMs) }] : [];
          } catch {
            return [];
          }
        })
        .sort((a, b) => b.modifiedAt - a.modifiedAt || a.fileName.localeCompare(b.fileName));
      return { dir: exportsDir, files: files.slice(0, limit) };
    },
  };
}
