/**
 * The one way a tier is named on every screen: its name as the broker gave it, or its position
 * ("Tier 2") only when it has none, so Live, auctions, reports and the audit say what the tree says.
 */
export function tierLabel(name: string | null | undefined, index: number): string {
  const trimmed = name?.trim();
  return trimmed ? trimmed : `Tier ${index + 1}`;
}
