import { useStore } from 'zustand';
import { api, onEvent } from '../api/client.js';
import { connectEvents } from './connect-events.js';
import { createConsoleStore } from './store.js';
import type { ConsoleState } from './types.js';

export { useShallow } from 'zustand/react/shallow';

function newId(): string {
  if (typeof crypto !== 'undefined' && typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  return `job-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}`;
}

/** The console's one store, bound to the real contract client. */
export const consoleStore = createConsoleStore({ api, now: () => Date.now(), newId });

let connected = false;
/** Starts the event stream into the store (idempotent; the shell calls it once). */
export function startConsoleEvents(): void {
  if (connected) return;
  connected = true;
  connectEvents(consoleStore, onEvent);
}

/** Narrow selectors only; wrap selectors that build objects in `useShallow`. */
export function useConsole<T>(selector: (s: ConsoleState) => T): T {
  return useStore(consoleStore, selector);
}

/**
 * Whether the data folder is open read-only. The shell renders no screen before session.info has
 * loaded, so inside a screen this is final: editing controls are left out entirely when true.
 */
export function useReadOnly(): boolean {
  return useConsole((s) => s.session.info?.readOnly ?? true);
}

/** Bumps whenever configuration changed anywhere (config.changed): use it as a reload dependency. */
export function useConfigVersion(): number {
  return useConsole((s) => s.session.configVersion);
}

/** A job's progress as the engine reports it, for progress bars. */
export function useJob(jobId: string | null | undefined) {
  return useConsole((s) => (jobId ? s.jobs.byId[jobId] : undefined));
}
