import { useEffect, useRef } from 'react';
import { typingInto } from '../../app/shortcuts.js';
import { consoleStore, useConsole } from '../../store/use-console.js';
import { showToast } from '../../ui/toasts.js';

/**
 * Undo on the Ping tree: every confirmed edit shows a toast with an Undo button for that edit, and
 * Ctrl+Z (⌘Z) undoes the campaign's newest edit unless the focus is in a text field, where the field's
 * own undo applies. Both go through the tiers slice, which sends the inverse through the same methods.
 */
export function useTreeUndo(campaignId: string | null, readOnly: boolean): void {
  const lastEdit = useConsole((s) => s.tiers.lastEdit);
  const shown = useRef<number | null>(lastEdit?.id ?? null);

  useEffect(() => {
    if (!lastEdit || shown.current === lastEdit.id) return;
    shown.current = lastEdit.id;
    if (lastEdit.undone) {
      showToast(`Undone: ${lastEdit.label}`);
      return;
    }
    const { id, campaignId: owner } = lastEdit;
    showToast(lastEdit.label, { action: { label: 'Undo', run: () => void consoleStore.getState().tiers.undo(owner, id) } });
  }, [lastEdit]);

  useEffect(() => {
    if (!campaignId || readOnly) return;
    const onKey = (e: KeyboardEvent) => {
      if (!(e.ctrlKey || e.metaKey) || e.shiftKey || e.altKey || e.key.toLowerCase() !== 'z' || typingInto(e.target)) return;
      e.preventDefault();
      void consoleStore.getState().tiers.undo(campaignId);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [campaignId, readOnly]);
}
