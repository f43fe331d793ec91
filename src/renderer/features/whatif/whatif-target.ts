import { useStore } from 'zustand';
import { createStore } from 'zustand/vanilla';
import type { TreeChange } from '../../../shared/tree-change.js';

/** Which campaign (and tier floor) the What-if panel is open for; null: closed. */
export interface WhatIfTarget {
  campaignId: string;
  tierIndex?: number;
  /** Changes to start with, e.g. a move the tier placement policy proposes. */
  changes?: TreeChange[];
}

const targetStore = createStore<{ target: WhatIfTarget | null }>(() => ({ target: null }));

/** Opens the What-if panel (from the Ping tree screen's button or a tier's floor). */
export function openWhatIf(target: WhatIfTarget): void {
  targetStore.setState({ target });
}

export function closeWhatIf(): void {
  targetStore.setState({ target: null });
}

export function useWhatIfTarget(): WhatIfTarget | null {
  return useStore(targetStore, (s) => s.target);
}
