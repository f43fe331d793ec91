/** The sidebar, in the order a broker's day goes. `key` is the second key of the `g <key>` shortcut. */
export interface NavItem {
  route: string;
  label: string;
  key: string;
  group: 'Operations' | 'Setup' | 'Compliance';
  /** Detail routes that highlight this item (an auction belongs to Live). */
  also?: string[];
}

export const NAV_ITEMS: NavItem[] = [
  { route: 'live', label: 'Live', key: 'l', group: 'Operations', also: ['auctions'] },
  { route: 'reports', label: 'Reports', key: 'r', group: 'Operations' },
  { route: 'returns', label: 'Returns', key: 'n', group: 'Operations' },
  { route: 'tiers', label: 'Ping tree', key: 't', group: 'Setup' },
  { route: 'buyers', label: 'Buyers', key: 'b', group: 'Setup' },
  { route: 'campaigns', label: 'Campaigns', key: 'c', group: 'Setup' },
  { route: 'sources', label: 'Sources', key: 's', group: 'Setup' },
  { route: 'audit', label: 'Consent & audit', key: 'a', group: 'Compliance', also: ['leads'] },
  { route: 'suppression', label: 'Suppression', key: 'u', group: 'Compliance' },
];
