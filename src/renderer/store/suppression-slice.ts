import type { RevocationResult, SuppressionImportResult, SuppressionView } from '../../shared/console-api.js';
import type { SliceCreator } from './types.js';

export interface ImportState {
  jobId: string;
  fileName: string;
  running: boolean;
  result: SuppressionImportResult | null;
  error: unknown;
}

export interface AddResult {
  added: number;
  refused: Array<{ value: string; reason: string }>;
}

export interface SuppressionSlice {
  query: string;
  rows: SuppressionView[];
  total: number;
  /** Phones on imported DNC lists, counted apart from the rows above. */
  listedNumbers: number;
  offset: number;
  limit: number;
  loading: boolean;
  error: unknown;
  importing: ImportState | null;
  lastAdd: AddResult | null;
  addError: unknown;
  lastRevocation: RevocationResult | null;
  revokeError: unknown;
  load: () => Promise<void>;
  /** Searches from the first page. */
  search: (query: string) => Promise<void>;
  setPage: (offset: number) => Promise<void>;
  /** Adds phones and/or emails; returns what the engine refused and why. */
  add: (values: string[]) => Promise<AddResult | null>;
  remove: (row: SuppressionView) => Promise<void>;
  /** Records a consumer's revocation of consent (audited under the operator); null when refused. */
  revoke: (input: { phone?: string; email?: string; reason?: string }) => Promise<RevocationResult | null>;
  /** Imports a CSV already read in the browser (File.text()), with progress under jobs[jobId]. */
  importCsv: (fileName: string, csv: string) => Promise<void>;
}

export const createSuppressionSlice: SliceCreator<'suppression'> = ({ patch, self, get, deps }) => {
  let loadSeq = 0;
  return {
    query: '',
    rows: [],
    total: 0,
    listedNumbers: 0,
    offset: 0,
    limit: 100,
    loading: false,
    error: null,
    importing: null,
    lastAdd: null,
    addError: null,
    lastRevocation: null,
    revokeError: null,
    async load() {
      const mine = ++loadSeq;
      const { query, limit, offset } = self();
      patch({ loading: true, error: null });
      try {
        const page = await deps.api['suppression.list']({ query: query.trim() || undefined, limit, offset });
        if (mine === loadSeq) patch({ rows: page.rows, total: page.total, listedNumbers: page.listedNumbers ?? 0, loading: false });
      } catch (error) {
        if (mine === loadSeq) patch({ loading: false, error });
      }
    },
    async search(query) {
      patch({ query, offset: 0 });
      await self().load();
    },
    async setPage(offset) {
      patch({ offset: Math.max(0, offset) });
      await self().load();
    },
    async add(values) {
      const clean = values.map((v) => v.trim()).filter(Boolean);
      if (clean.length === 0) return null;
      patch({ addError: null, lastAdd: null });
      try {
        const result = await deps.api['suppression.add']({ values: clean });
        patch({ lastAdd: result });
        await self().load();
        return result;
      } catch (addError) {
        patch({ addError });
        return null;
      }
    },
    async remove(row) {
      try {
        await deps.api['suppression.remove']({ kind: row.kind, hash: row.hash });
        await self().load();
      } catch (error) {
        patch({ error });
      }
    },
    async revoke(input) {
      const args = { phone: input.phone?.trim() || undefined, email: input.email?.trim() || undefined, reason: input.reason || undefined };
      patch({ revokeError: null, lastRevocation: null });
      try {
        const result = await deps.api['suppression.revoke'](args);
        patch({ lastRevocation: result });
        await self().load();
        return result;
      } catch (revokeError) {
        patch({ revokeError });
        return null;
      }
    },
    async importCsv(fileName, csv) {
      const jobId = get().jobs.start(`Import ${fileName}`);
      patch({ importing: { jobId, fileName, running: true, result: null, error: null } });
      try {
        const result = await deps.api['suppression.importCsv']({ csv, jobId });
        get().jobs.finish(jobId);
        patch({ importing: { jobId, fileName, running: false, result, error: null } });
        await self().load();
      } catch (error) {
        get().jobs.finish(jobId);
        patch({ importing: { jobId, fileName, running: false, result: null, error } });
      }
    },
  };
};
