import { useEffect } from 'react';
import { NAV_ITEMS } from './nav-items.js';
import { navigate } from './router.js';

const CHORD_MS = 1200;

export function typingInto(target: EventTarget | null): boolean {
  const el = target as HTMLElement | null;
  return !!el && (el.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(el.tagName));
}

/** `g` then a screen's key jumps there (g l = Live, g r = Reports, …). Ignored while typing in a field. */
export function useNavShortcuts(): void {
  useEffect(() => {
    let armedAt = 0;
    const onKey = (e: KeyboardEvent) => {
      if (e.ctrlKey || e.metaKey || e.altKey || typingInto(e.target)) return;
      const key = e.key.toLowerCase();
      if (armedAt && performance.now() - armedAt < CHORD_MS) {
        armedAt = 0;
        const item = NAV_ITEMS.find((i) => i.key === key);
        if (item) {
          e.preventDefault();
          navigate(item.route);
        }
        return;
      }
      armedAt = key === 'g' ? performance.now() : 0;
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
}
