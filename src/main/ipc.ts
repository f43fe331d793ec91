import { ipcMain } from 'electron';
import type { IpcMainInvokeEvent, WebContents } from 'electron';
import type { ConsoleHost } from '../engine/console/console-host.js';
import type { EventBatcherOptions } from '../engine/console/event-batcher.js';
import { createEventBatcher } from '../engine/console/event-batcher.js';
import type { Reply } from '../shared/console-api.js';
import { IPC_CALL_CHANNEL, IPC_EVENT_CHANNEL } from '../shared/transport.js';
import { isAppUrl } from './app-origin.js';

export const ELECTRON_ACTOR = 'console:electron';

/** Only the app's own top-level page may call the engine; a frame of any other origin gets `forbidden`. */
export function isTrustedSender(event: Pick<IpcMainInvokeEvent, 'senderFrame'>): boolean {
  const frame = event.senderFrame;
  return frame !== null && frame !== undefined && frame.parent === null && isAppUrl(frame.url);
}

/**
 * The whole Electron transport for calls: one generic handler over the contract. Names and
 * arguments are validated by the host, so a method added to `consoleMethods` and the handler map
 * is reachable here with no change. Returns an unregister function.
 */
export function registerConsoleIpc(host: ConsoleHost): () => void {
  ipcMain.handle(IPC_CALL_CHANNEL, async (event, name: unknown, args: unknown): Promise<Reply<unknown>> => {
    if (!isTrustedSender(event)) return { ok: false, error: { code: 'forbidden', message: 'Calls are accepted only from the Pingdesk window' } };
    if (typeof name !== 'string') return { ok: false, error: { code: 'validation_failed', message: 'The method name must be a string' } };
    return host.call(name, args, { actor: ELECTRON_ACTOR });
  });
  return () => ipcMain.removeHandler(IPC_CALL_CHANNEL);
}

/**
 * Sends the host's events, batched, to one window for as long as it lives and shows the app's own
 * page. Returns a stop function (also called when the window's contents are destroyed).
 */
export function forwardConsoleEvents(host: Pick<ConsoleHost, 'subscribe'>, contents: WebContents, batching?: EventBatcherOptions): () => void {
  const batcher = createEventBatcher(host, batching);
  batcher.subscribe((name, payload) => {
    if (contents.isDestroyed() || !isAppUrl(contents.getURL())) return;
    contents.send(IPC_EVENT_CHANNEL, name, payload);
  });
  const stop = (): void => batcher.close();
  contents.once('destroyed', stop);
  return stop;
}
