import type { LeadSummary, VerifyResult } from '../../shared/console-api.js';
import type { SliceCreator } from './types.js';

export interface VerifyState {
  jobId: string | null;
  running: boolean;
  result: VerifyResult | null;
  error: unknown;
}

export interface AuditSlice {
  query: string;
  /** null until a search ran. */
  results: LeadSummary[] | null;
  searching: boolean;
  error: unknown;
  verify: VerifyState;
  setQuery: (query: string) => void;
  /** Finds leads by id, phone or email (`leads.search`); a blank query clears the results. */
  search: (query?: string) => Promise<void>;
  /** Re-checks the whole hash chain, with progress under jobs[verify.jobId]. */
  runVerify: () => Promise<void>;
}

export const createAuditSlice: SliceCreator<'audit'> = ({ patch, self, get, deps }) => {
  let searchSeq = 0;
  return {
    query: '',
    results: null,
    searching: false,
    error: null,
    verify: { jobId: null, running: false, result: null, error: null },
    setQuery(query) {
      patch({ query });
    },
    async search(query = self().query) {
      const q = query.trim();
      const mine = ++searchSeq;
      if (!q) {
        patch({ query, results: null, searching: false, error: null });
        return;
      }
      patch({ query, searching: true, error: null });
      try {
        const results = await deps.api['leads.search']({ query: q, limit: 100 });
        if (mine === searchSeq) patch({ results, searching: false });
      } catch (error) {
        if (mine === searchSeq) patch({ searching: false, error, results: null });
      }
    },
    async runVerify() {
      if (self().verify.running) return;
      const jobId = get().jobs.start('Verify audit trail');
      patch({ verify: { jobId, running: true, result: null, error: null } });
      try {
        const result = await deps.api['audit.verify']({ jobId });
        get().jobs.finish(jobId);
        patch({ verify: { jobId, running: false, result, error: null } });
      } catch (error) {
        get().jobs.finish(jobId);
        patch({ verify: { jobId, running: false, result: null, error } });
      }
    },
  };
};
