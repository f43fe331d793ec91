import { useState } from 'react';
import type { BuyerView } from '../../../shared/console-api.js';
import type { CampaignSpec } from '../../../shared/domain.js';
import type { TreeChange } from '../../../shared/tree-change.js';
import { moveTierOrder, parseDollars } from './change-list.js';

type Kind = TreeChange['kind'];

const KINDS: Array<[Kind, string]> = [
  ['tierFloor', 'Tier floor'],
  ['campaignMinPrice', 'Campaign minimum'],
  ['buyerPaused', 'Pause or resume a buyer'],
  ['buyerMove', 'Move a buyer'],
  ['tierOrder', 'Tier order'],
];

/** One change to add to the what-if: pick its kind, fill its fields, Add. Refuses an amount that is not dollars. */
export function ChangeEditor({ campaign, buyers, initialTier, onAdd }: {
  campaign: CampaignSpec;
  buyers: readonly BuyerView[];
  initialTier: number;
  onAdd: (change: TreeChange) => void;
}) {
  const [kind, setKind] = useState<Kind>('tierFloor');
  const [tier, setTier] = useState(initialTier);
  const [amount, setAmount] = useState('');
  const [buyerId, setBuyerId] = useState(buyers[0]?.spec.id ?? '');
  const [toTier, setToTier] = useState('');
  const [position, setPosition] = useState(0);
  const [problem, setProblem] = useState<string | null>(null);
  const campaignId = campaign.id;

  const build = (): TreeChange | string => {
    if (kind === 'tierFloor' || kind === 'campaignMinPrice') {
      const dollars = parseDollars(amount);
      if (dollars === null) return 'Type an amount in dollars, e.g. 12.50';
      return kind === 'tierFloor' ? { kind, campaignId, tierIndex: tier, floor: dollars } : { kind, campaignId, minPrice: dollars };
    }
    if (kind === 'buyerPaused') {
      const b = buyers.find((x) => x.spec.id === buyerId);
      if (!b) return 'Pick a buyer';
      return { kind, buyerId, paused: !b.paused };
    }
    if (kind === 'buyerMove') {
      if (!buyerId) return 'Pick a buyer';
      return { kind, campaignId, buyerId, toTier: toTier === '' ? null : Number(toTier) };
    }
    return { kind, campaignId, order: moveTierOrder(campaign.tiers.length, tier, position) };
  };

  const add = () => {
    const change = build();
    if (typeof change === 'string') return setProblem(change);
    setProblem(null);
    setAmount('');
    onAdd(change);
  };

  const tierSelect = (label: string, value: number, set: (n: number) => void, testId: string) => (
    <select className="select" aria-label={label} value={value} onChange={(e) => set(Number(e.target.value))} data-testid={testId}>
      {campaign.tiers.map((t, i) => <option key={i} value={i}>{t.name}</option>)}
    </select>
  );

  return (
    <div className="stack" style={{ gap: 4 }}>
      <div className="toolbar" data-testid="whatif-change-editor">
        <select className="select" aria-label="Kind of change" value={kind} onChange={(e) => setKind(e.target.value as Kind)} data-testid="whatif-kind">
          {KINDS.map(([k, label]) => <option key={k} value={k}>{label}</option>)}
        </select>
        {kind === 'tierFloor' && tierSelect('Tier', tier, setTier, 'whatif-tier')}
        {(kind === 'tierFloor' || kind === 'campaignMinPrice') && (
          <input className="input tabular" style={{ width: 100 }} aria-label="New amount in dollars" placeholder="$ amount" value={amount}
            onChange={(e) => setAmount(e.target.value)} onKeyDown={(e) => e.key === 'Enter' && (e.preventDefault(), add())} data-testid="whatif-amount" />
        )}
        {(kind === 'buyerPaused' || kind === 'buyerMove') && (
          <select className="select" aria-label="Buyer" value={buyerId} onChange={(e) => setBuyerId(e.target.value)} data-testid="whatif-buyer">
            {buyers.map((b) => <option key={b.spec.id} value={b.spec.id}>{b.spec.name}{kind === 'buyerPaused' ? (b.paused ? ' (paused: resume)' : ' (pause)') : ''}</option>)}
          </select>
        )}
        {kind === 'buyerMove' && (
          <select className="select" aria-label="To tier" value={toTier} onChange={(e) => setToTier(e.target.value)} data-testid="whatif-to-tier">
            {campaign.tiers.map((t, i) => <option key={i} value={String(i)}>to {t.name}</option>)}
            <option value="">out of the tree</option>
          </select>
        )}
        {kind === 'tierOrder' && (
          <>
            {tierSelect('Tier to move', tier, setTier, 'whatif-order-tier')}
            <select className="select" aria-label="New position" value={position} onChange={(e) => setPosition(Number(e.target.value))}>
              {campaign.tiers.map((_, i) => <option key={i} value={i}>to position {i + 1}</option>)}
            </select>
          </>
        )}
        <button type="button" className="btn btn-small" onClick={add} data-testid="whatif-add">Add change</button>
      </div>
      {problem && <span className="field-error" role="alert">{problem}</span>}
    </div>
  );
}
