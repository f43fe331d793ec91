import { lazy, type ComponentType } from 'react';
import { LiveScreen } from '../features/live/live-screen.js';

export type Screen = ComponentType<{ params: string[] }>;

/** Reports carries the chart library; it loads on first visit so Live opens without it. */
const ReportsScreen = lazy(() => import('../features/reports/reports-screen.js').then((m) => ({ default: m.ReportsScreen })));
// Every other screen also loads on first visit: a fresh tab fetches and starts only Live's code.
const AuctionScreen = lazy(() => import('../features/auctions/auction-screen.js').then((m) => ({ default: m.AuctionScreen })));
const AuditScreen = lazy(() => import('../features/audit/audit-screen.js').then((m) => ({ default: m.AuditScreen })));
const BuyersScreen = lazy(() => import('../features/buyers/buyers-screen.js').then((m) => ({ default: m.BuyersScreen })));
const CampaignsScreen = lazy(() => import('../features/campaigns/campaigns-screen.js').then((m) => ({ default: m.CampaignsScreen })));
const LeadScreen = lazy(() => import('../features/leads/lead-screen.js').then((m) => ({ default: m.LeadScreen })));
const ReturnsScreen = lazy(() => import('../features/returns/returns-screen.js').then((m) => ({ default: m.ReturnsScreen })));
const SourcesScreen = lazy(() => import('../features/sources/sources-screen.js').then((m) => ({ default: m.SourcesScreen })));
const SuppressionScreen = lazy(() => import('../features/suppression/suppression-screen.js').then((m) => ({ default: m.SuppressionScreen })));
const TiersScreen = lazy(() => import('../features/tiers/tiers-screen.js').then((m) => ({ default: m.TiersScreen })));

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
