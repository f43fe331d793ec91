import { describe, expect, it, vi } from 'vitest';

const electron = vi.hoisted(() => ({
  contextBridge: { exposeInMainWorld: vi.fn() },
  ipcRenderer: { invoke: vi.fn(async () => ({ ok: true, value: 'pong' })), on: vi.fn(), removeListener: vi.fn(), send: vi.fn() },
}));
vi.mock('electron', () => electron);

await import('../../src/preload/index.js');

describe('preload bridge', () => {
  const [[key, bridge]] = electron.contextBridge.exposeInMainWorld.mock.calls as unknown as Array<[string, Record<string, unknown>]>;

  it('exposes only window.pingdesk with call and onEvent', () => {
    expect(electron.contextBridge.exposeInMainWorld).toHaveBeenCalledTimes(1);
    expect(key).toBe('pingdesk');
    expect(Object.keys(bridge).sort()).toEqual(['call', 'onEvent']);
    expect(Object.values(bridge).every((v) => typeof v === 'function')).toBe(true);
    expect(Object.values(bridge)).not.toContain(electron.ipcRenderer);
  });

  it('calls through ipcRenderer.invoke on the console channel', async () => {
    const call = bridge.call as (name: string, args: unknown) => Promise<unknown>;
    await expect(call('session.info', {})).resolves.toEqual({ ok: true, value: 'pong' });
    expect(electron.ipcRenderer.invoke).toHaveBeenCalledWith('console:call', 'session.info', {});
  });

  it('relays events without the IPC event object, and unsubscribes', () => {
    const onEvent = bridge.onEvent as (fn: (name: string, payload: unknown) => void) => () => void;
    const listener = vi.fn();
    const off = onEvent(listener);
    const [channel, relay] = electron.ipcRenderer.on.mock.calls[0] as unknown as [string, (e: unknown, n: string, p: unknown) => void];
    expect(channel).toBe('console:event');
    relay({ sender: 'ipc internals' }, 'config.changed', { kind: 'buyer' });
    expect(listener).toHaveBeenCalledWith('config.changed', { kind: 'buyer' });
    off();
    expect(electron.ipcRenderer.removeListener).toHaveBeenCalledWith('console:event', relay);
  });
});
