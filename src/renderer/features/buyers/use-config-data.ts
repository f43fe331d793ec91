import { useEffect } from 'react';
import { consoleStore, useConfigVersion } from '../../store/use-console.js';

/**
 * Keeps the configuration a screen shows current: loads it on mount and again on every
 * `config.changed`, and (with `pollMs`) refreshes buyers' live state and last-hour stats on a timer
 * while the screen is open.
 */
export function useConfigData({ buyers = false, sources = false, pollMs }: { buyers?: boolean; sources?: boolean; pollMs?: number }): void {
  const version = useConfigVersion();
  useEffect(() => {
    const s = consoleStore.getState();
    void s.config.loadCampaigns();
    if (sources) void s.config.loadSources();
    if (buyers) {
      void s.buyers.load();
      void s.buyers.loadStats();
    }
  }, [version, buyers, sources]);

  useEffect(() => {
    if (!pollMs || !buyers) return;
    const timer = setInterval(() => {
      const s = consoleStore.getState();
      void s.buyers.load();
      void s.buyers.loadStats();
    }, pollMs);
    return () => clearInterval(timer);
  }, [pollMs, buyers]);
}
