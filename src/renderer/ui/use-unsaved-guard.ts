import { useCallback, useLayoutEffect, useRef } from 'react';
import { clearLeaveGuard, setLeaveGuard } from '../app/router.js';

const QUESTION = 'You have unsaved changes. Leave without saving them?';

/**
 * While `dirty`, leaving the screen (a link, a shortcut, the back button) asks first, and closing or
 * reloading the window makes the browser ask too. `release()` is for a save that navigates at once:
 * the form is clean before React has re-rendered with `dirty` false.
 */
export function useUnsavedGuard(dirty: boolean): { release: () => void } {
  const dirtyRef = useRef(dirty);
  dirtyRef.current = dirty;

  // A layout effect: its cleanup runs as soon as the editor leaves the screen, also when a lazily
  // loaded next screen keeps the old one hidden, not unmounted, until its code arrives.
  useLayoutEffect(() => {
    const guard = () => (dirtyRef.current ? QUESTION : null);
    setLeaveGuard(guard);
    const onUnload = (e: BeforeUnloadEvent) => {
      if (!dirtyRef.current) return;
      e.preventDefault();
      // Older browsers and Electron read the return value.
      e.returnValue = QUESTION;
    };
    window.addEventListener('beforeunload', onUnload);
    return () => {
      clearLeaveGuard(guard);
      window.removeEventListener('beforeunload', onUnload);
    };
  }, []);

  const release = useCallback(() => {
    dirtyRef.current = false;
  }, []);
  return { release };
}
