import { describe, expect, it } from 'vitest';
import { applyTreeEdit, describeTreeEdit, inverseTreeEdit, swapOrder, type TreeEdit } from '../../src/renderer/features/tiers/tree-undo.js';
import { createConsoleStore } from '../../src/renderer/store/store.js';
import type { ConsoleApi, MethodArgs } from '../../src/shared/console-api.js';
import type { CampaignSpec, TierSpec } from '../../src/shared/domain.js';

const tree = (): TierSpec[] => [
  { name: 'Premium', floor: 20, buyers: ['acme', 'bolt'] },
  { name: 'Fallback', floor: 5, buyers: ['cheap'] },
  { name: 'Last resort', floor: 5, buyers: [] },
];
const names: Record<string, string> = { acme: 'Acme Insurance', bolt: 'Bolt Auto', cheap: 'Cheap Leads', dash: 'Dash' };
const nameOf = (id: string) => names[id] ?? id;
const c = 'auto';

/** Applying an edit and then its inverse (read from the tree before the edit) gives back the same tree. */
function roundTrip(edit: TreeEdit, start = tree()) {
  const after = applyTreeEdit(start, edit);
  const back = applyTreeEdit(after, inverseTreeEdit(start, edit));
  return { after, back, start };
}

describe('the undo of each ping tree edit', () => {
  it('a floor save: the old floor comes back', () => {
    const { after, back, start } = roundTrip({ kind: 'tierFloor', campaignId: c, tierIndex: 0, floor: 25 });
    expect(after[0].floor).toBe(25);
    expect(back).toEqual(start);
    expect(inverseTreeEdit(start, { kind: 'tierFloor', campaignId: c, tierIndex: 0, floor: 25 })).toEqual({ kind: 'tierFloor', campaignId: c, tierIndex: 0, floor: 20 });
  });

  it('a buyer moved to another tier goes back to its tier and its place in it', () => {
    const { after, back, start } = roundTrip({ kind: 'buyerMove', campaignId: c, buyerId: 'acme', toTier: 1, position: 1 });
    expect(after.map((t) => t.buyers)).toEqual([['bolt'], ['cheap', 'acme'], []]);
    expect(back).toEqual(start);
  });

  it('a buyer taken out of the tree comes back where it was; a buyer added leaves again', () => {
    expect(roundTrip({ kind: 'buyerMove', campaignId: c, buyerId: 'bolt', toTier: null }).back).toEqual(tree());
    const added = roundTrip({ kind: 'buyerMove', campaignId: c, buyerId: 'dash', toTier: 2 });
    expect(added.after[2].buyers).toEqual(['dash']);
    expect(added.back).toEqual(tree());
  });

  it('a reorder is undone by the inverse order', () => {
    const order = [2, 0, 1];
    const { after, back, start } = roundTrip({ kind: 'tierOrder', campaignId: c, order });
    expect(after.map((t) => t.name)).toEqual(['Last resort', 'Premium', 'Fallback']);
    expect(back).toEqual(start);
    expect(swapOrder(3, 0, 1)).toEqual([1, 0, 2]);
    expect(swapOrder(3, 0, -1)).toBeNull();
  });

  it('an added tier is removed; a removed tier comes back in its place with its floor and buyers', () => {
    const added = roundTrip({ kind: 'tierAdd', campaignId: c, index: 3, tier: { name: 'Tier 4', floor: 5, buyers: [] } });
    expect(added.after).toHaveLength(4);
    expect(added.back).toEqual(tree());
    const removed = roundTrip({ kind: 'tierRemove', campaignId: c, index: 0 });
    expect(removed.after.map((t) => t.name)).toEqual(['Fallback', 'Last resort']);
    expect(removed.back).toEqual(tree());
  });

  it('a restored tier takes its buyers back from a tier they were placed in meanwhile', () => {
    const start = tree();
    const inverse = inverseTreeEdit(start, { kind: 'tierRemove', campaignId: c, index: 0 });
    const meanwhile = applyTreeEdit(applyTreeEdit(start, { kind: 'tierRemove', campaignId: c, index: 0 }), { kind: 'buyerMove', campaignId: c, buyerId: 'acme', toTier: 1 });
    expect(applyTreeEdit(meanwhile, inverse).map((t) => t.buyers)).toEqual([['acme', 'bolt'], ['cheap'], []]);
  });

  it('says each edit in the broker’s words, tiers by name', () => {
    const t = tree();
    expect(describeTreeEdit(t, { kind: 'tierFloor', campaignId: c, tierIndex: 0, floor: 25 }, nameOf)).toBe('Premium floor $20.00 → $25.00');
    expect(describeTreeEdit(t, { kind: 'buyerMove', campaignId: c, buyerId: 'acme', toTier: 1 }, nameOf)).toBe('Acme Insurance moved Premium → Fallback');
    expect(describeTreeEdit(t, { kind: 'buyerMove', campaignId: c, buyerId: 'acme', toTier: null }, nameOf)).toBe('Acme Insurance taken out of Premium');
    expect(describeTreeEdit(t, { kind: 'buyerMove', campaignId: c, buyerId: 'dash', toTier: 2 }, nameOf)).toBe('Dash added to Last resort');
    expect(describeTreeEdit(t, { kind: 'tierRemove', campaignId: c, index: 1 }, nameOf)).toBe('Fallback removed');
    expect(describeTreeEdit(t, { kind: 'tierOrder', campaignId: c, order: [1, 0, 2] }, nameOf)).toBe('Tier order Fallback, Premium, Last resort');
  });
});

const campaign = (): CampaignSpec => ({
  id: 'auto', name: 'Auto', vertical: 'auto', fields: { state: { type: 'state' } }, pingFields: ['state'],
  minPrice: 5, payout: { type: 'percent', value: 70 }, margin: { type: 'fixed', value: 0 },
  requireNamedSeller: false, duplicateWindowDays: 30, pingTimeoutMs: 300, postTimeoutMs: 2000,
  tiers: tree(),
});

/** An engine stand-in that confirms every tree it is sent. */
function engine() {
  let saved = campaign();
  const calls: Array<{ method: string; args: unknown }> = [];
  const api = {
    'campaigns.list': async () => [saved],
    'tiers.set': async (args: MethodArgs<'tiers.set'>) => {
      calls.push({ method: 'tiers.set', args });
      saved = { ...saved, tiers: args.tiers };
      return saved;
    },
    'tiers.setFloor': async (args: MethodArgs<'tiers.setFloor'>) => {
      calls.push({ method: 'tiers.setFloor', args });
      saved = { ...saved, tiers: saved.tiers.map((t, i) => (i === args.tierIndex ? { ...t, floor: args.floor } : t)) };
      return saved;
    },
    'buyers.list': async () => [],
  } as unknown as ConsoleApi;
  const store = createConsoleStore({ api, now: () => 1_000_000, newId: () => 'id' });
  return { store, calls, saved: () => saved };
}

describe('undo in the ping tree store', () => {
  it('undoes a floor save through tiers.setFloor with the old floor', async () => {
    const { store, calls, saved } = engine();
    await store.getState().config.loadCampaigns();
    await store.getState().tiers.setFloor('auto', 0, '25');
    expect(store.getState().tiers.lastEdit).toMatchObject({ label: 'Premium floor $20.00 → $25.00', undone: false });
    expect(await store.getState().tiers.undo('auto')).toBe(true);
    expect(calls.at(-1)).toEqual({ method: 'tiers.setFloor', args: { campaignId: 'auto', tierIndex: 0, floor: 20 } });
    expect(saved().tiers[0].floor).toBe(20);
    expect(store.getState().tiers.lastEdit).toMatchObject({ label: 'Premium floor $20.00 → $25.00', undone: true });
    // Nothing left to undo: an undo is not itself undone.
    expect(await store.getState().tiers.undo('auto')).toBe(false);
  });

  it('undoes the edit a toast names, not only the newest', async () => {
    const { store, saved } = engine();
    await store.getState().config.loadCampaigns();
    await store.getState().tiers.removeBuyer('auto', 'acme');
    const removal = store.getState().tiers.lastEdit?.id as number;
    await store.getState().tiers.setFloor('auto', 1, '6');
    await store.getState().tiers.undo('auto', removal);
    expect(saved().tiers.map((t) => [t.floor, t.buyers])).toEqual([[20, ['acme', 'bolt']], [6, ['cheap']], [5, []]]);
    expect(store.getState().tiers.undoStack.auto.map((e) => e.label)).toEqual(['Fallback floor $5.00 → $6.00']);
  });

  it('a new tier starts at the campaign minimum, and its undo removes it', async () => {
    const { store, saved } = engine();
    await store.getState().config.loadCampaigns();
    await store.getState().tiers.addTier('auto');
    expect(saved().tiers[3]).toEqual({ name: 'Tier 4', floor: 5, buyers: [] });
    await store.getState().tiers.undo('auto');
    expect(saved().tiers).toEqual(tree());
  });
});
