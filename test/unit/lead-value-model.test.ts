import { describe, expect, it } from 'vitest';
import { fitLeadValueModel as fitGroups, groupValueSamples, predictLeadValue, type ValueSample } from '../../src/engine/market/lead-value-model.js';

const fitLeadValueModel = (samples: ValueSample[], opts: { trainedAt: number; minCampaignSamples?: number }) => fitGroups(groupValueSamples(samples), opts);

const many = (n: number, s: Omit<ValueSample, 'valueCents'>, values: number[]): ValueSample[] =>
  Array.from({ length: n }, (_, i) => ({ ...s, valueCents: values[i % values.length] }));

describe('lead value model', () => {
  it('fits known group means when every group has plenty of leads', () => {
    // Source a earns 30 or 0 alternately (mean 15), source b always 40 in TX and 20 in CA.
    const samples = [
      ...many(400, { campaignId: 'auto', sourceId: 'a', state: 'TX' }, [3000, 0]),
      ...many(400, { campaignId: 'auto', sourceId: 'b', state: 'TX' }, [4000]),
      ...many(400, { campaignId: 'auto', sourceId: 'b', state: 'CA' }, [2000]),
    ];
    const model = fitLeadValueModel(samples, { trainedAt: 1 });
    expect(model.samples).toBe(1200);
    const a = predictLeadValue(model, { campaignId: 'auto', sourceId: 'a', state: 'TX' });
    expect(a?.level).toBe('sourceState');
    expect(Math.abs((a?.cents ?? 0) - 1500)).toBeLessThanOrEqual(5);
    expect(Math.abs((predictLeadValue(model, { campaignId: 'auto', sourceId: 'b', state: 'TX' })?.cents ?? 0) - 4000)).toBeLessThanOrEqual(5);
    expect(Math.abs((predictLeadValue(model, { campaignId: 'auto', sourceId: 'b', state: 'CA' })?.cents ?? 0) - 2000)).toBeLessThanOrEqual(5);
  });

  it('knows nothing of a campaign with too little history (cold start)', () => {
    const model = fitLeadValueModel(many(9, { campaignId: 'auto', sourceId: 'a', state: 'TX' }, [3000]), { trainedAt: 1, minCampaignSamples: 10 });
    expect(predictLeadValue(model, { campaignId: 'auto', sourceId: 'a', state: 'TX' })).toBeNull();
    expect(predictLeadValue(model, { campaignId: 'home', sourceId: 'a', state: 'TX' })).toBeNull();
  });

  it('gives a new source the campaign mean, and a new state its source estimate', () => {
    const samples = [...many(50, { campaignId: 'auto', sourceId: 'a', state: 'TX' }, [1000]), ...many(50, { campaignId: 'auto', sourceId: 'b', state: 'TX' }, [3000])];
    const model = fitLeadValueModel(samples, { trainedAt: 1 });
    expect(predictLeadValue(model, { campaignId: 'auto', sourceId: 'new', state: 'TX' })).toEqual({ cents: 2000, level: 'campaign', samples: 100 });
    const newState = predictLeadValue(model, { campaignId: 'auto', sourceId: 'a', state: 'NY' });
    expect(newState).toMatchObject({ level: 'source', samples: 50 });
  });

  it('shrinks a group with few leads towards its parent, and less so as its leads grow', () => {
    // The campaign: noisy leads (0 or 40 dollars) around a mean of 20 in many sources; one source with a
    // single 40-dollar lead must not be predicted at 40.
    const base: ValueSample[] = [];
    for (let s = 0; s < 20; s++) base.push(...many(100, { campaignId: 'auto', sourceId: `s${s}`, state: 'TX' }, s % 2 ? [4000, 0, 2000] : [0, 4000, 2200]));
    const one = fitLeadValueModel([...base, { campaignId: 'auto', sourceId: 'lucky', state: 'TX', valueCents: 4000 }], { trainedAt: 1 });
    const lucky1 = predictLeadValue(one, { campaignId: 'auto', sourceId: 'lucky', state: 'TX' })?.cents ?? 0;
    const campaignMean = predictLeadValue(one, { campaignId: 'auto', sourceId: 'unknown', state: 'TX' })?.cents ?? 0;
    expect(Math.abs(lucky1 - campaignMean)).toBeLessThan(200);
    const fifty = fitLeadValueModel([...base, ...many(3000, { campaignId: 'auto', sourceId: 'lucky', state: 'TX' }, [4000])], { trainedAt: 1 });
    const lucky3000 = predictLeadValue(fifty, { campaignId: 'auto', sourceId: 'lucky', state: 'TX' })?.cents ?? 0;
    expect(lucky3000).toBeGreaterThan(3500);
  });
});
