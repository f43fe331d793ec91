export { consoleStore, startConsoleEvents, useConsole, useReadOnly, useConfigVersion, useJob, useShallow } from './use-console.js';
export type { ConsoleState, StoreDeps } from './types.js';
export { createConsoleStore, type ConsoleStore } from './store.js';
export { filterAuctions, LIVE_CAPACITY, type LiveFilter } from './live-slice.js';
export { jobRatio, type JobState } from './jobs-slice.js';
export { PRESET_LABELS, bucketFor, rangeFor, type RangePreset } from './report-range.js';
export type { ExportKind } from './reports-slice.js';
