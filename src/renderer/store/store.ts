import { createStore, type StoreApi } from 'zustand/vanilla';
import { createAuditSlice } from './audit-slice.js';
import { createFiguresSlice } from './figures-slice.js';
import { createJobsSlice } from './jobs-slice.js';
import { createLiveSlice } from './live-slice.js';
import { createReportsSlice } from './reports-slice.js';
import { createSessionSlice } from './session-slice.js';
import { createBuyersSlice } from './buyers-slice.js';
import { createConfigSlice } from './config-slice.js';
import { createTiersSlice } from './tiers-slice.js';
import { createSuppressionSlice } from './suppression-slice.js';
import type { ConsoleState, SliceCreator, SliceKey, SliceTools, StoreDeps } from './types.js';

export type ConsoleStore = StoreApi<ConsoleState>;

/**
 * The framework-free store core: plain zustand/vanilla, no React, so slices are tested in Node.
 * The React binding lives in use-console.ts.
 */
export function createConsoleStore(deps: StoreDeps): ConsoleStore {
  return createStore<ConsoleState>()((set, get) => {
    function tools<K extends SliceKey>(key: K): SliceTools<K> {
      return {
        patch: (partial) =>
          set((s) => {
            const slice = s[key];
            const change = typeof partial === 'function' ? partial(slice) : partial;
            return { [key]: { ...slice, ...change } } as Partial<ConsoleState>;
          }),
        self: () => get()[key],
        get,
        deps,
      };
    }
    const make = <K extends SliceKey>(key: K, creator: SliceCreator<K>) => creator(tools(key));
    return {
      session: make('session', createSessionSlice),
      live: make('live', createLiveSlice),
      figures: make('figures', createFiguresSlice),
      jobs: make('jobs', createJobsSlice),
      reports: make('reports', createReportsSlice),
      audit: make('audit', createAuditSlice),
      suppression: make('suppression', createSuppressionSlice),
      config: make('config', createConfigSlice),
      buyers: make('buyers', createBuyersSlice),
      tiers: make('tiers', createTiersSlice),
    };
  });
}
