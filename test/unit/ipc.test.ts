import { EventEmitter } from 'node:events';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';

const electron = vi.hoisted(() => ({
  ipcMain: { handle: vi.fn(), removeHandler: vi.fn() },
}));
vi.mock('electron', () => electron);

import type { ConsoleHandlers, EventListener } from '../../src/engine/console/console-host.js';
import { createConsoleHost } from '../../src/engine/console/console-host.js';
import { forwardConsoleEvents, registerConsoleIpc } from '../../src/main/ipc.js';
import type { AuctionSummary } from '../../src/shared/console-api.js';
import { consoleMethods } from '../../src/shared/console-api.js';
import type { Reply } from '../../src/shared/console-api.js';

type CallHandler = (event: unknown, name: unknown, args: unknown) => Promise<Reply<unknown>>;

const appFrame = { senderFrame: { url: 'pingdesk://app/index.html', parent: null } };
const contract = consoleMethods as Record<string, unknown>;

function hostWithEcho(readOnly = false) {
  const seen: Array<{ args: unknown; actor: string }> = [];
  const listeners = new Set<EventListener>();
  const handlers = {
    'session.info': () => ({ version: 't', readOnly, dataDir: '/d', intakeUrl: null, mode: 'electron', startedAt: 0 }),
    'test.echo': (args: { text: string }, ctx: { actor: string }) => {
      seen.push({ args, actor: ctx.actor });
      return { echoed: args.text.toUpperCase() };
    },
  } as unknown as ConsoleHandlers;
  const host = createConsoleHost({
    handlers,
    readOnly,
    subscribe: (fn) => {
      listeners.add(fn);
      return () => listeners.delete(fn);
    },
  });
  return { host, seen, listeners };
}

function registeredHandler(): CallHandler {
  expect(electron.ipcMain.handle).toHaveBeenCalledTimes(1);
  const [channel, handler] = electron.ipcMain.handle.mock.calls[0] as [string, CallHandler];
  expect(channel).toBe('console:call');
  return handler;
}

beforeEach(() => {
  vi.clearAllMocks();
  // A method that exists only in this test: added to the contract and the handler map, nowhere else.
  contract['test.echo'] = { args: z.object({ text: z.string().min(1) }), mutates: false };
});
afterEach(() => {
  delete contract['test.echo'];
});

describe('Electron IPC transport', () => {
  it('registers exactly one generic handler and reaches a method added only to the contract', async () => {
    const { host, seen } = hostWithEcho();
    registerConsoleIpc(host);
    const handler = registeredHandler();
    const reply = await handler(appFrame, 'test.echo', { text: 'hello' });
    expect(reply).toEqual({ ok: true, value: { echoed: 'HELLO' } });
    expect(seen).toEqual([{ args: { text: 'hello' }, actor: 'console:electron' }]);
  });

  it('returns the host Reply unchanged, validation and unknown methods included', async () => {
    const { host } = hostWithEcho();
    registerConsoleIpc(host);
    const handler = registeredHandler();
    for (const [name, args] of [
      ['session.info', {}],
      ['test.echo', { text: '' }],
      ['no.such.method', {}],
    ] as const) {
      expect(await handler(appFrame, name, args)).toEqual(await host.call(name, args, { actor: 'x' }));
    }
    expect(await handler(appFrame, 'test.echo', { text: '' })).toMatchObject({ ok: false, error: { code: 'validation_failed' } });
  });

  it('refuses calls from a frame that is not the app origin or not the top frame', async () => {
    const { host, seen } = hostWithEcho();
    registerConsoleIpc(host);
    const handler = registeredHandler();
    for (const event of [
      { senderFrame: { url: 'https://evil.example/', parent: null } },
      { senderFrame: { url: 'pingdesk://app/index.html', parent: { url: 'pingdesk://app/index.html' } } },
      { senderFrame: null },
    ]) {
      expect(await handler(event, 'test.echo', { text: 'x' })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    }
    expect(await handler(appFrame, 42, {})).toMatchObject({ ok: false, error: { code: 'validation_failed' } });
    expect(seen).toHaveLength(0);
  });

  it('unregisters its handler', () => {
    const stop = registerConsoleIpc(hostWithEcho().host);
    stop();
    expect(electron.ipcMain.removeHandler).toHaveBeenCalledWith('console:call');
  });

  it('forwards events to the window batched, and stops when the window is destroyed', () => {
    vi.useFakeTimers();
    try {
      const { host, listeners } = hostWithEcho();
      const contents = Object.assign(new EventEmitter(), {
        send: vi.fn(),
        isDestroyed: () => false,
        getURL: () => 'pingdesk://app/index.html',
      });
      forwardConsoleEvents(host, contents as never);
      const emit = (name: 'auctions.batch' | 'config.changed', payload: unknown) => listeners.forEach((fn) => fn(name, payload as never));
      for (let i = 0; i < 100; i++) emit('auctions.batch', [{ id: `a${i}` } as AuctionSummary]);
      emit('config.changed', { kind: 'buyer', id: 'acme', actor: 'console', at: 1 });
      vi.advanceTimersByTime(300);
      const sent = contents.send.mock.calls as Array<[string, string, unknown]>;
      expect(sent.every(([channel]) => channel === 'console:event')).toBe(true);
      expect(sent.map(([, name]) => name)).toEqual(['config.changed', 'auctions.batch']);
      expect((sent[1][2] as AuctionSummary[]).length).toBe(100);

      contents.emit('destroyed');
      expect(listeners.size).toBe(0);
    } finally {
      vi.useRealTimers();
    }
  });

  it('sends nothing to a window that left the app origin', () => {
    vi.useFakeTimers();
    try {
      const { host, listeners } = hostWithEcho();
      const contents = Object.assign(new EventEmitter(), { send: vi.fn(), isDestroyed: () => false, getURL: () => 'https://evil.example/' });
      forwardConsoleEvents(host, contents as never);
      listeners.forEach((fn) => fn('config.changed', { kind: 'buyer', id: 'acme', actor: 'console', at: 1 }));
      vi.advanceTimersByTime(300);
      expect(contents.send).not.toHaveBeenCalled();
    } finally {
      vi.useRealTimers();
    }
  });
});
