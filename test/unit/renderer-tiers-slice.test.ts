import { describe, expect, it } from 'vitest';
import { ApiError } from '../../src/renderer/api/client.js';
import { createConsoleStore } from '../../src/renderer/store/store.js';
import type { ConsoleApi, MethodArgs } from '../../src/shared/console-api.js';
import type { CampaignSpec } from '../../src/shared/domain.js';

const campaign = (): CampaignSpec => ({
  id: 'auto', name: 'Auto', vertical: 'auto', fields: { state: { type: 'state' } }, pingFields: ['state'],
  minPrice: 0, payout: { type: 'percent', value: 70 }, margin: { type: 'fixed', value: 0 },
  requireNamedSeller: false, duplicateWindowDays: 30, pingTimeoutMs: 300, postTimeoutMs: 2000,
  tiers: [
    { name: 'Tier 1', floor: 20, buyers: ['acme', 'bolt'] },
    { name: 'Tier 2', floor: 5, buyers: ['cheap'] },
  ],
});

interface Deferred<T> { promise: Promise<T>; resolve: (v: T) => void; reject: (e: unknown) => void }
function deferred<T>(): Deferred<T> {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => ((resolve = res), (reject = rej)));
  return { promise, resolve, reject };
}

/** An engine stand-in for the tier methods: each call waits until the test answers it. */
function fakeEngine() {
  const calls: Array<{ method: string; args: unknown; answer: Deferred<CampaignSpec> }> = [];
  const answer = (method: string) => (args: unknown) => {
    const d = deferred<CampaignSpec>();
    calls.push({ method, args, answer: d });
    return d.promise;
  };
  const api = {
    'campaigns.list': async () => [campaign()],
    'tiers.set': answer('tiers.set'),
    'tiers.setFloor': answer('tiers.setFloor'),
  } as unknown as ConsoleApi;
  const store = createConsoleStore({ api, now: () => 1_000_000, newId: () => 'id' });
  return { store, calls };
}

const tiersOf = (store: ReturnType<typeof fakeEngine>['store']) => store.getState().config.campaigns[0].tiers.map((t) => t.buyers);

describe('ping tree store', () => {
  it('a buyer moves at once and the whole new tree goes to the engine', async () => {
    const { store, calls } = fakeEngine();
    await store.getState().config.loadCampaigns();
    const done = store.getState().tiers.moveBuyer('auto', 'bolt', 1, 0);
    expect(tiersOf(store)).toEqual([['acme'], ['bolt', 'cheap']]);
    expect(store.getState().tiers.pending.auto).toBe(1);
    const args = calls[0].args as MethodArgs<'tiers.set'>;
    expect(args.tiers.map((t) => t.buyers)).toEqual([['acme'], ['bolt', 'cheap']]);
    calls[0].answer.resolve({ ...campaign(), tiers: args.tiers });
    expect(await done).toBe(true);
    expect(store.getState().tiers.pending.auto).toBe(0);
    expect(tiersOf(store)).toEqual([['acme'], ['bolt', 'cheap']]);
  });

  it('a refused move goes back to the tree the engine confirmed and says why', async () => {
    const { store, calls } = fakeEngine();
    await store.getState().config.loadCampaigns();
    const done = store.getState().tiers.moveBuyer('auto', 'cheap', 0, 0);
    expect(tiersOf(store)).toEqual([['cheap', 'acme', 'bolt'], []]);
    calls[0].answer.reject(new ApiError({ code: 'validation_failed', message: 'The tiers have problems', details: [{ field: 'tiers[0].buyers[0]', message: 'no buyer "cheap"' }] }));
    expect(await done).toBe(false);
    expect(tiersOf(store)).toEqual([['acme', 'bolt'], ['cheap']]);
    expect((store.getState().tiers.error as ApiError).message).toBe('The tiers have problems');
  });

  it('a slow answer to an earlier edit does not undo a later one', async () => {
    const { store, calls } = fakeEngine();
    await store.getState().config.loadCampaigns();
    const first = store.getState().tiers.moveBuyer('auto', 'bolt', 1, 0);
    const second = store.getState().tiers.moveTier('auto', 1, -1);
    expect(tiersOf(store)).toEqual([['bolt', 'cheap'], ['acme']]);
    const secondTiers = (calls[1].args as MethodArgs<'tiers.set'>).tiers;
    calls[1].answer.resolve({ ...campaign(), tiers: secondTiers });
    await second;
    calls[0].answer.reject(new ApiError({ code: 'internal', message: 'late failure' }));
    await first;
    expect(tiersOf(store)).toEqual([['bolt', 'cheap'], ['acme']]);
    expect(store.getState().tiers.error).toBeNull();
  });

  it('a typed floor is parsed before it is sent; a bad one is reported on its tier and not sent', async () => {
    const { store, calls } = fakeEngine();
    await store.getState().config.loadCampaigns();
    expect(await store.getState().tiers.setFloor('auto', 1, 'ten dollars')).toBe(false);
    expect(store.getState().tiers.floorError).toEqual({ campaignId: 'auto', tierIndex: 1, message: expect.stringMatching(/dollar amount/) });
    expect(calls).toHaveLength(0);

    const done = store.getState().tiers.setFloor('auto', 1, '$7.25');
    expect(store.getState().tiers.floorError).toBeNull();
    expect(calls[0]).toMatchObject({ method: 'tiers.setFloor', args: { campaignId: 'auto', tierIndex: 1, floor: 7.25 } });
    expect(store.getState().config.campaigns[0].tiers[1].floor).toBe(7.25);
    calls[0].answer.reject(new ApiError({ code: 'read_only', message: 'This data folder is open read-only' }));
    expect(await done).toBe(false);
    expect(store.getState().config.campaigns[0].tiers[1].floor).toBe(5);
    expect(store.getState().tiers.floorError).toMatchObject({ tierIndex: 1, message: 'This data folder is open read-only' });
  });

  it('a reload during a pending edit keeps the optimistic tree', async () => {
    const { store, calls } = fakeEngine();
    await store.getState().config.loadCampaigns();
    void store.getState().tiers.removeBuyer('auto', 'acme');
    await store.getState().config.loadCampaigns();
    expect(tiersOf(store)).toEqual([['bolt'], ['cheap']]);
    calls[0].answer.resolve({ ...campaign(), tiers: (calls[0].args as MethodArgs<'tiers.set'>).tiers });
  });
});
