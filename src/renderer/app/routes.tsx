import { lazy, type ComponentType } from 'react';
import { AuctionScreen } from '../features/auctions/auction-screen.js';
import { AuditScreen } from '../features/audit/audit-screen.js';
import { BuyersScreen } from '../features/buyers/buyers-screen.js';
import { CampaignsScreen } from '../features/campaigns/campaigns-screen.js';
import { LeadScreen } from '../features/leads/lead-screen.js';
import { LiveScreen } from '../features/live/live-screen.js';
import { ReturnsScreen } from '../features/returns/returns-screen.js';
import { SourcesScreen } from '../features/sources/sources-screen.js';
import { SuppressionScreen } from '../features/suppression/suppression-screen.js';
import { TiersScreen } from '../features/tiers/tiers-screen.js';

export type Screen = ComponentType<{ params: string[] }>;

/** Reports carries the chart library; it loads on first visit so Live opens without it. */
const ReportsScreen = lazy(() => import('../features/reports/reports-screen.js').then((m) => ({ default: m.ReportsScreen })));

/** First hash segment → screen and its name (for the error boundary and the document title). */
export const ROUTES: Record<string, { screen: Screen; title: string }> = {
  live: { screen: LiveScreen, title: 'Live' },
  auctions: { screen: AuctionScreen, title: 'Auction' },
  reports: { screen: ReportsScreen, title: 'Reports' },
  returns: { screen: ReturnsScreen, title: 'Returns' },
  tiers: { screen: TiersScreen, title: 'Ping tree' },
  buyers: { screen: BuyersScreen, title: 'Buyers' },
  campaigns: { screen: CampaignsScreen, title: 'Campaigns' },
  sources: { screen: SourcesScreen, title: 'Sources' },
  audit: { screen: AuditScreen, title: 'Consent & audit' },
  leads: { screen: LeadScreen, title: 'Lead' },
  suppression: { screen: SuppressionScreen, title: 'Suppression' },
};

export const DEFAULT_ROUTE = 'live';
