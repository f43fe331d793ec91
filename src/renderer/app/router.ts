import { useSyncExternalStore } from 'react';

/**
 * A tiny hash router: `#/auctions/<id>` → ['auctions', '<id>']. The hash keeps the page's query
 * string (the browser-mode token) untouched, and works the same under file:// in Electron.
 */
export function parseHash(hash: string): string[] {
  const path = hash.replace(/^#\/?/, '').split('?')[0];
  return path
    .split('/')
    .filter(Boolean)
    .map((s) => {
      try {
        return decodeURIComponent(s);
      } catch {
        return s;
      }
    });
}

/** A link target for route segments, each encoded: `href('leads', id)` → `#/leads/<id>`. */
export function href(...segments: string[]): string {
  return `#/${segments.map(encodeURIComponent).join('/')}`;
}

/**
 * The one question asked before leaving a screen with unsaved changes. An editor registers it while it
 * is dirty (`useUnsavedGuard`); it returns the sentence to ask, or null when nothing would be lost.
 */
let leaveGuard: (() => string | null) | null = null;

export function setLeaveGuard(guard: () => string | null): void {
  leaveGuard = guard;
}

/** Removes `guard`, unless another editor has registered its own since. */
export function clearLeaveGuard(guard: () => string | null): void {
  if (leaveGuard === guard) leaveGuard = null;
}

/** The hash the person already agreed to leave for: its hashchange must not ask a second time. */
let approvedHash: string | null = null;

/** True when nothing unsaved would be lost, or the person chose to leave anyway (for `target`). */
export function mayLeave(target?: string): boolean {
  const question = leaveGuard?.();
  const ok = !question || window.confirm(question);
  if (ok && question && target !== undefined) approvedHash = target;
  return ok;
}

export function navigate(...segments: string[]): void {
  const target = href(...segments);
  if (target !== window.location.hash && !mayLeave(target)) return;
  window.location.hash = target;
}

/**
 * The route the console shows. It follows the address bar, except that a change the person refused
 * to make (back button with unsaved changes) is undone before any screen sees it.
 */
let shownHash = typeof window === 'undefined' ? '' : window.location.hash;
const listeners = new Set<() => void>();
let installed = false;

function install(): void {
  if (installed) return;
  installed = true;
  shownHash = window.location.hash;
  // Links are checked before they change the address, so an editor is never unmounted and then restored.
  document.addEventListener(
    'click',
    (e) => {
      const link = (e.target as Element | null)?.closest?.('a[href^="#"]');
      if (!link || e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey) return;
      const target = link.getAttribute('href') ?? '';
      if (target !== window.location.hash && !mayLeave(target)) {
        e.preventDefault();
        e.stopPropagation();
      }
    },
    true,
  );
  window.addEventListener('hashchange', () => {
    if (window.location.hash === shownHash) return;
    const approved = approvedHash !== null && window.location.hash === approvedHash;
    approvedHash = null;
    if (!approved && leaveGuard?.() && !mayLeave()) {
      history.replaceState(history.state, '', `${window.location.pathname}${window.location.search}${shownHash}`);
      return;
    }
    shownHash = window.location.hash;
    for (const l of listeners) l();
  });
}

function subscribe(onChange: () => void): () => void {
  install();
  listeners.add(onChange);
  return () => listeners.delete(onChange);
}

export function useRoute(): string[] {
  const hash = useSyncExternalStore(subscribe, () => (installed ? shownHash : window.location.hash));
  return parseHash(hash);
}
