import type { ConfigChange, SessionInfo } from '../../shared/console-api.js';
import type { SliceCreator } from './types.js';

export interface SessionSlice {
  info: SessionInfo | null;
  error: unknown;
  /** Bumped on every `config.changed` event: screens that list configuration reload when it moves. */
  configVersion: number;
  lastChange: ConfigChange | null;
  load: () => Promise<void>;
  configChanged: (change: ConfigChange) => void;
}

export const createSessionSlice: SliceCreator<'session'> = ({ patch, deps }) => ({
  info: null,
  error: null,
  configVersion: 0,
  lastChange: null,
  async load() {
    try {
      patch({ info: await deps.api['session.info']({}), error: null });
    } catch (error) {
      patch({ error });
    }
  },
  configChanged(change) {
    patch((s) => ({ configVersion: s.configVersion + 1, lastChange: change }));
  },
});
