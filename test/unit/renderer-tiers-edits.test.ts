import { describe, expect, it } from 'vitest';
import type { TierSpec } from '../../src/shared/domain.js';
import { describePlace, dropTarget, POOL_ID } from '../../src/renderer/features/tiers/drop-target.js';
import { addBuyerToTier, addTier, moveBuyer, moveTier, parseFloor, removeTier, unplacedBuyers } from '../../src/renderer/features/tiers/tier-edits.js';

const tree = (): TierSpec[] => [
  { name: 'Tier 1', floor: 20, buyers: ['acme', 'bolt'] },
  { name: 'Tier 2', floor: 5, buyers: ['cheap'] },
];

describe('ping tree edits', () => {
  it('moving a buyer to another tier takes it out of the first and keeps the input untouched', () => {
    const before = tree();
    const after = moveBuyer(before, 'bolt', 1, 0);
    expect(after.map((t) => t.buyers)).toEqual([['acme'], ['bolt', 'cheap']]);
    expect(before[0].buyers).toEqual(['acme', 'bolt']);
  });

  it('reordering within a tier puts the buyer at the drop index', () => {
    expect(moveBuyer(tree(), 'bolt', 0, 0)[0].buyers).toEqual(['bolt', 'acme']);
    expect(moveBuyer(tree(), 'acme', 0, 99)[0].buyers).toEqual(['bolt', 'acme']);
  });

  it('adding a buyer already in a tier moves it instead of placing it twice', () => {
    const after = addBuyerToTier(tree(), 1, 'acme');
    expect(after.flatMap((t) => t.buyers).filter((b) => b === 'acme')).toHaveLength(1);
    expect(after[1].buyers).toEqual(['cheap', 'acme']);
  });

  it('tiers move left and right and stay put at the edges', () => {
    expect(moveTier(tree(), 1, -1).map((t) => t.name)).toEqual(['Tier 2', 'Tier 1']);
    expect(moveTier(tree(), 0, -1).map((t) => t.name)).toEqual(['Tier 1', 'Tier 2']);
    expect(moveTier(tree(), 1, 1).map((t) => t.name)).toEqual(['Tier 1', 'Tier 2']);
  });

  it('a new tier gets a fresh name and removing a tier unplaces its buyers', () => {
    const renamed = [{ name: 'Tier 3', floor: 1, buyers: [] }, ...tree()];
    expect(addTier(renamed).at(-1)?.name).toBe('Tier 4');
    const removed = removeTier(tree(), 0);
    expect(unplacedBuyers(removed, ['acme', 'bolt', 'cheap', 'dyn'])).toEqual(['acme', 'bolt', 'dyn']);
  });
});

describe('floor input', () => {
  it.each([
    ['20', 20],
    ['$12.50', 12.5],
    [' 7.1 ', 7.1],
    ['1,250.00', 1250],
    ['0', 0],
    ['.5', 0.5],
  ])('reads %j as %d dollars', (text, value) => {
    expect(parseFloor(text)).toEqual({ ok: true, value });
  });

  it.each([
    ['', /Enter a floor/],
    ['abc', /dollar amount/],
    ['-3', /negative/],
    ['1.005', /two decimals/],
    ['2000000', /at most/],
    ['12e3', /dollar amount/],
  ])('refuses %j with a message', (text, message) => {
    const parsed = parseFloor(text);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.message).toMatch(message);
  });
});

describe('where a dragged buyer lands', () => {
  it('dropping on a buyer of another tier takes that buyer\'s place', () => {
    expect(dropTarget(tree(), 'cheap', 'bolt')).toEqual({ kind: 'tier', tier: 0, index: 1 });
  });

  it('dropping on a column puts the buyer last, also within its own tier', () => {
    expect(dropTarget(tree(), 'acme', 'tier:1')).toEqual({ kind: 'tier', tier: 1, index: 1 });
    expect(dropTarget(tree(), 'acme', 'tier:0')).toEqual({ kind: 'tier', tier: 0, index: 1 });
  });

  it('reordering within a tier follows the list: down onto a later buyer, up onto an earlier one', () => {
    const down = dropTarget(tree(), 'acme', 'bolt');
    expect(down).toEqual({ kind: 'tier', tier: 0, index: 1 });
    if (down?.kind === 'tier') expect(moveBuyer(tree(), 'acme', down.tier, down.index)[0].buyers).toEqual(['bolt', 'acme']);
    const up = dropTarget(tree(), 'bolt', 'acme');
    if (up?.kind === 'tier') expect(moveBuyer(tree(), 'bolt', up.tier, up.index)[0].buyers).toEqual(['bolt', 'acme']);
  });

  it('a drop that changes nothing is no edit, and the pool takes a placed buyer out', () => {
    expect(dropTarget(tree(), 'acme', 'acme')).toBeNull();
    expect(dropTarget(tree(), 'bolt', 'tier:0')).toBeNull();
    expect(dropTarget(tree(), 'dyn', POOL_ID)).toBeNull();
    expect(dropTarget(tree(), 'cheap', POOL_ID)).toEqual({ kind: 'pool' });
    expect(dropTarget(tree(), 'acme', 'tier:7')).toBeNull();
  });

  it('places read as the broker names them, for screen readers', () => {
    const name = (id: string) => id.toUpperCase();
    expect(describePlace(tree(), 'tier:1', name)).toBe('Tier 2');
    expect(describePlace(tree(), 'bolt', name)).toBe('Tier 1, at BOLT');
    expect(describePlace(tree(), POOL_ID, name)).toBe('Not in the tree');
  });
});
