import type { ConsoleEvents, EventName, Reply } from './console-api.js';

/**
 * The wire between the console and the engine, identical in spirit over both transports.
 * Electron: the preload exposes `window.pingdesk: PreloadBridge` (ipcRenderer.invoke on channel
 * `console:call`, events on `console:event`). Browser mode: `POST /api/call/<method>` with the
 * JSON arguments and header `x-pingdesk-token`, answered with a `Reply`; events over server-sent
 * events at `GET /api/events?token=…` (`event: <name>`, `data: <json>`).
 */
export interface PreloadBridge {
  call(name: string, args: unknown): Promise<Reply<unknown>>;
  onEvent(listener: (name: EventName, payload: ConsoleEvents[EventName]) => void): () => void;
}

export const IPC_CALL_CHANNEL = 'console:call';
export const IPC_EVENT_CHANNEL = 'console:event';
export const TOKEN_HEADER = 'x-pingdesk-token';
