import { describe, expect, it } from 'vitest';
import type { ConsoleEvents, EventName, SessionInfo, StorageHealth } from '../../src/shared/console-api.js';
import { connectEvents, type Subscribe } from '../../src/renderer/store/connect-events.js';
import { storeWith } from './renderer-store-fixtures.js';

const OK: StorageHealth = { status: 'ok', reason: null, since: null, retainedWrites: 0 };
const FULL: StorageHealth = { status: 'storage_unavailable', reason: 'SQLITE_FULL: database or disk is full', since: 1_700_000_000_000, retainedWrites: 12 };

function session(health: StorageHealth): SessionInfo {
  return { version: 't', readOnly: false, dataDir: '/d', intakeUrl: null, mode: 'browser', startedAt: 1, health };
}

function eventBus() {
  const subs = new Map<string, Array<(p: unknown) => void>>();
  const on: Subscribe = (name, fn) => {
    const list = subs.get(name) ?? [];
    list.push(fn as (p: unknown) => void);
    subs.set(name, list);
    return () => undefined;
  };
  const emit = <E extends EventName>(name: E, payload: ConsoleEvents[E]) => subs.get(name)?.forEach((fn) => fn(payload));
  return { on, emit };
}

describe('storage health in the console store', () => {
  it('starts from session.info and follows health.changed events', async () => {
    const { store } = storeWith({ 'session.info': () => session(FULL) });
    const bus = eventBus();
    connectEvents(store, bus.on);
    await store.getState().session.load();
    expect(store.getState().session.health).toEqual(FULL);
    bus.emit('health.changed', OK);
    expect(store.getState().session.health).toEqual(OK);
  });

  it('keeps an event that arrived while session.info was on its way', async () => {
    let answer: (v: SessionInfo) => void = () => undefined;
    const { store } = storeWith({ 'session.info': () => new Promise<SessionInfo>((resolve) => (answer = resolve)) });
    const bus = eventBus();
    connectEvents(store, bus.on);
    const loading = store.getState().session.load();
    bus.emit('health.changed', OK);
    answer(session(FULL));
    await loading;
    expect(store.getState().session.health).toEqual(OK);
  });
});
