import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { progressReporter, type HandlerDeps, type HandlersOf } from './handler-deps.js';

/** CSV exports, written to the data folder's exports directory. */
export function exportHandlers(d: HandlerDeps): HandlersOf<'export'> {
  return {
    'export.csv': async ({ kind, from, to, jobId }) => {
      mkdirSync(d.exportsDir, { recursive: true, mode: 0o700 });
      // The random part keeps two exports of the same millisecond from writing one file.
      const fileName = `${kind}-${new Date(d.now()).toISOString().replace(/[:.]/g, '-')}-${randomBytes(3).toString('hex')}.csv`;
      const path = join(d.exportsDir, fileName);
      const report = progressReporter(d, jobId);
      const { rows } = await d.store.exportCsv(kind, { from, to, out: path, onProgress: (n: number) => report(n) });
      report(rows, rows);
      return { kind, rows, fileName, path };
    },
  };
}
