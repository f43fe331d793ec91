import type { ConfigChange, SessionInfo, StorageHealth } from '../../shared/console-api.js';
import type { SliceCreator } from './types.js';

export interface SessionSlice {
  info: SessionInfo | null;
  error: unknown;
  /** Bumped on every `config.changed` event: screens that list configuration reload when it moves. */
  configVersion: number;
  lastChange: ConfigChange | null;
  /** The engine's storage health: from session.info, then from every `health.changed` event. */
  health: StorageHealth | null;
  load: () => Promise<void>;
  configChanged: (change: ConfigChange) => void;
  healthChanged: (health: StorageHealth) => void;
}

export const createSessionSlice: SliceCreator<'session'> = ({ patch, deps }) => ({
  info: null,
  error: null,
  configVersion: 0,
  lastChange: null,
  health: null,
  async load() {
    try {
      const info = await deps.api['session.info']({});
      // An event that arrived while session.info was on its way is newer than the answer.
      patch((s) => ({ info, error: null, health: s.health ?? info.health ?? null }));
    } catch (error) {
      patch({ error });
    }
  },
  configChanged(change) {
    patch((s) => ({ configVersion: s.configVersion + 1, lastChange: change }));
  },
  healthChanged(health) {
    patch({ health });
  },
});
