import type { ConsoleApi } from '../../shared/console-api.js';
import type { AuditSlice } from './audit-slice.js';
import type { BuyersSlice } from './buyers-slice.js';
import type { ConfigSlice } from './config-slice.js';
import type { TiersSlice } from './tiers-slice.js';
import type { FiguresSlice } from './figures-slice.js';
import type { JobsSlice } from './jobs-slice.js';
import type { LiveSlice } from './live-slice.js';
import type { ReportsSlice } from './reports-slice.js';
import type { SessionSlice } from './session-slice.js';
import type { SuppressionSlice } from './suppression-slice.js';

/** What the store needs from outside: the contract client, the clock and ids, so tests drive all three. */
export interface StoreDeps {
  api: ConsoleApi;
  now: () => number;
  newId: () => string;
}

/** One store, one key per slice; each slice holds its state and the actions that change it. */
export interface ConsoleState {
  session: SessionSlice;
  live: LiveSlice;
  figures: FiguresSlice;
  jobs: JobsSlice;
  reports: ReportsSlice;
  audit: AuditSlice;
  suppression: SuppressionSlice;
  config: ConfigSlice;
  buyers: BuyersSlice;
  tiers: TiersSlice;
}

export type SliceKey = keyof ConsoleState;
export type SetState = (fn: (s: ConsoleState) => Partial<ConsoleState>) => void;
export type GetState = () => ConsoleState;

export interface SliceTools<K extends SliceKey> {
  /** Shallow-merges into this slice only. */
  patch: (partial: Partial<ConsoleState[K]> | ((slice: ConsoleState[K]) => Partial<ConsoleState[K]>)) => void;
  /** This slice as it is now. */
  self: () => ConsoleState[K];
  get: GetState;
  deps: StoreDeps;
}

export type SliceCreator<K extends SliceKey> = (tools: SliceTools<K>) => ConsoleState[K];
