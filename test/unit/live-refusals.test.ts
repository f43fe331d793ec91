import { describe, expect, it } from 'vitest';
import { LiveFigures } from '../../src/engine/observe/live-figures.js';

describe('live refusals', () => {
  it('counts refusals within the window and forgets those older than it', () => {
    const figures = new LiveFigures(60_000);
    const t0 = 1_800_000_000_000;
    figures.recordRefusal(t0);
    figures.recordRefusal(t0 + 200);
    figures.recordRefusal(t0 + 30_000);
    expect(figures.overview(t0 + 31_000).refused).toBe(3);
    expect(figures.overview(t0 + 61_500).refused).toBe(1);
    expect(figures.overview(t0 + 200_000).refused).toBe(0);
  });
});
