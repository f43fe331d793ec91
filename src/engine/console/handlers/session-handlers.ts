import { toStorageHealth } from '../../observe/storage-health.js';
import type { HandlerDeps, HandlersOf } from './handler-deps.js';

/** The console's session: who it is talking to and how the data folder's storage is doing. */
export function sessionHandlers(d: HandlerDeps): HandlersOf<'session'> {
  return {
    'session.info': () => ({ ...d.session, health: toStorageHealth(d.store.storageState()) }),
  };
}
