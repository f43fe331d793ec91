import { contextBridge, ipcRenderer } from 'electron';
import type { IpcRendererEvent } from 'electron';
import type { ConsoleEvents, EventName, Reply } from '../shared/console-api.js';
import type { PreloadBridge } from '../shared/transport.js';
import { IPC_CALL_CHANNEL, IPC_EVENT_CHANNEL } from '../shared/transport.js';

/**
 * The renderer's only door to the engine: `window.pingdesk` with `call` and `onEvent`, nothing
 * more. ipcRenderer itself never crosses the bridge, so page code cannot pick its own channels.
 * Runs sandboxed: it may import only `electron` and type-only modules (bundled as CommonJS).
 */
const bridge: PreloadBridge = {
  call(name: string, args: unknown): Promise<Reply<unknown>> {
    return ipcRenderer.invoke(IPC_CALL_CHANNEL, String(name), args) as Promise<Reply<unknown>>;
  },
  onEvent(listener) {
    const relay = (_event: IpcRendererEvent, name: EventName, payload: ConsoleEvents[EventName]): void => listener(name, payload);
    ipcRenderer.on(IPC_EVENT_CHANNEL, relay);
    return () => {
      ipcRenderer.removeListener(IPC_EVENT_CHANNEL, relay);
    };
  },
};

contextBridge.exposeInMainWorld('pingdesk', bridge);
