import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { SourceStatsTable } from '../../src/renderer/features/reports/report-tables.js';
import type { Directory } from '../../src/renderer/ui/use-directory.js';

const dir = { sourceName: (id: string | null | undefined) => (id === 'pub-1' ? 'Quotes Site' : String(id)) } as Directory;

describe('Reports Sources table', () => {
  it('credits a source with what it sent: received = accepted + refused, with the refusals by reason', () => {
    const html = renderToStaticMarkup(
      createElement(SourceStatsTable, { dir, rows: [{ sourceId: 'pub-1', leads: 645, sold: 600, revenue: 12000, payout: 8400, received: 2100, refused: 1455, refusedBy: { duplicate: 1400, suppressed: 55 } }] }),
    );
    const cells = [...html.matchAll(/<td[^>]*>(.*?)<\/td>/g)].map((m) => m[1]?.replace(/<[^>]+>/g, ''));
    expect(cells.slice(0, 5)).toEqual(['Quotes Site', '2,100', '645', '1,455 (duplicate 1400, suppressed 55)', '600']);
    expect(html).toContain('<th class="num">Received</th>');
  });
});
