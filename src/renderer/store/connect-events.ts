import type { ConsoleEvents, EventName } from '../../shared/console-api.js';
import type { ConsoleStore } from './store.js';

export type Subscribe = <E extends EventName>(name: E, fn: (payload: ConsoleEvents[E]) => void) => () => void;

/** Routes the engine's event stream into the store: one action per event, one state update per batch. */
export function connectEvents(store: ConsoleStore, on: Subscribe): () => void {
  const offs = [
    on('auctions.batch', (batch) => store.getState().live.receiveBatch(batch)),
    on('figures.tick', (overview) => store.getState().figures.receive(overview)),
    on('job.progress', (event) => store.getState().jobs.progress(event)),
    on('config.changed', (change) => store.getState().session.configChanged(change)),
    on('health.changed', (health) => store.getState().session.healthChanged(health)),
  ];
  return () => offs.forEach((off) => off());
}
