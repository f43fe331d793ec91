import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import type { AuditEventView } from '../../src/shared/console-api.js';
import { pingOutcomesOf, pingedBuyerIds } from '../../src/shared/ping-round.js';
import { DeliveriesPanel } from '../../src/renderer/features/leads/deliveries-panel.js';
import { EventData } from '../../src/renderer/features/leads/event-data.js';
import type { Directory } from '../../src/renderer/ui/use-directory.js';

const event = (seq: number, type: AuditEventView['type'], data: Record<string, unknown>): AuditEventView => ({ seq, leadId: 'L1', at: 1000 * seq, type, actor: 'engine', data, hash: `h${seq}`, prevHash: `h${seq - 1}` });
const NAMES: Record<string, string> = { acme: 'Acme Insurance', bolt: 'Bolt Auto', carl: 'Carl Cover' };
const dir = { buyerName: (id: string | null | undefined) => NAMES[String(id)] ?? String(id) } as Directory;
const text = (html: string) => html.replace(/<[^>]+>/g, '');

/** A round as the engine writes it since one event per tier round: every buyer in `pings`. */
const round = (seq: number, tier: number, pings: Array<[string, string, number | null]>) =>
  event(seq, 'ping', { auctionId: 'A1', tier, sentHash: 'f'.repeat(64), pings: pings.map(([buyerId, outcome, bid]) => ({ buyerId, outcome, bid, latencyMs: 12, reason: null })) });
/** A ping event as earlier versions wrote it, one per buyer. */
const perBuyer = (seq: number, buyerId: string, outcome: string, bid: number | null) => event(seq, 'ping', { auctionId: 'A1', buyerId, tier: 0, outcome, bid, latencyMs: 12, reason: null, sentHash: 'f'.repeat(64) });

describe('ping outcomes of an audit event, one per round or one per buyer', () => {
  it('reads every buyer of a round event, in the order recorded', () => {
    expect(pingOutcomesOf(round(4, 0, [['acme', 'FIXED_PRICE', 12], ['bolt', 'BID', 30], ['carl', 'NO_BID', null]]).data)).toEqual([
      { buyerId: 'acme', outcome: 'FIXED_PRICE', bid: 12, latencyMs: 12, reason: null },
      { buyerId: 'bolt', outcome: 'BID', bid: 30, latencyMs: 12, reason: null },
      { buyerId: 'carl', outcome: 'NO_BID', bid: null, latencyMs: 12, reason: null },
    ]);
  });

  it('reads the one buyer of an older per-buyer event, and nothing from an event that names none', () => {
    expect(pingOutcomesOf(perBuyer(4, 'bolt', 'TIMEOUT', null).data)).toEqual([{ buyerId: 'bolt', outcome: 'TIMEOUT', bid: null, latencyMs: 12, reason: null }]);
    expect(pingOutcomesOf({ auctionId: 'A1', tier: 0 })).toEqual([]);
    expect(pingOutcomesOf({ auctionId: 'A1', pings: [{ outcome: 'BID' }, null, { buyerId: 'acme' }] })).toEqual([{ buyerId: 'acme', outcome: '', bid: null, latencyMs: null, reason: null }]);
  });

  it('names each pinged buyer once across rounds and shapes, and ignores other events', () => {
    const trail = [
      event(1, 'eligible', { auctionId: 'A1', eligible: ['acme', 'bolt'] }),
      round(2, 0, [['acme', 'BELOW_FLOOR', 4], ['bolt', 'NO_BID', null]]),
      round(3, 1, [['carl', 'BID', 9]]),
      perBuyer(4, 'acme', 'BID', 20),
      event(5, 'post', { auctionId: 'A1', buyerId: 'carl', outcome: 'ACCEPTED' }),
    ];
    expect(pingedBuyerIds(trail)).toEqual(['acme', 'bolt', 'carl']);
    expect(pingedBuyerIds([perBuyer(1, 'bolt', 'BID', 20), perBuyer(2, 'acme', 'NO_BID', null)])).toEqual(['bolt', 'acme']);
    expect(pingedBuyerIds([event(1, 'post', { buyerId: 'acme' })])).toEqual([]);
  });
});

describe('the lead screen with round and per-buyer ping events', () => {
  it('Data shared names every buyer a round pinged, as it named the buyers of per-buyer events', () => {
    const sentence = (trail: AuditEventView[]) => text(renderToStaticMarkup(createElement(DeliveriesPanel, { trail, auctions: [], dir }))).match(/Pinged with non-contact fields only: ([^.]*)\./)?.[1];
    expect(sentence([round(1, 0, [['acme', 'BID', 30], ['bolt', 'NO_BID', null]])])).toBe('Acme Insurance, Bolt Auto');
    expect(sentence([perBuyer(1, 'acme', 'BID', 30), perBuyer(2, 'bolt', 'NO_BID', null)])).toBe('Acme Insurance, Bolt Auto');
    expect(sentence([])).toBe('nobody');
  });

  it("the trail shows a round event's buyers in words, with their outcome, bid and answer time", () => {
    const html = renderToStaticMarkup(createElement(EventData, { data: round(1, 0, [['acme', 'BID', 30], ['bolt', 'NO_BID', null]]).data, dir }));
    const lines = [...html.matchAll(/<span data-testid="event-ping-outcome">(.*?)<\/span>(?=<span data-testid="event-ping-outcome">|<\/span>)/g)].map((m) => text(m[1] as string));
    expect(lines).toEqual(['Acme Insurance BID $30.00 in 12 ms', 'Bolt Auto NO_BID in 12 ms']);
    expect(html).not.toContain('{&quot;buyerId');
  });
});
