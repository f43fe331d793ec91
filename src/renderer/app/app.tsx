import { Suspense, useEffect } from 'react';
import { ErrorBanner } from '../ui/error-banner.js';
import { consoleStore, startConsoleEvents, useConsole } from '../store/use-console.js';
import { ScreenBoundary } from './error-boundary.js';
import { Nav } from './nav.js';
import { ReadOnlyBanner } from './read-only-banner.js';
import { StorageBanner } from './storage-banner.js';
import { Toasts } from '../ui/toasts.js';
import { DEFAULT_ROUTE, ROUTES } from './routes.js';
import { navigate, useRoute } from './router.js';
import { useNavShortcuts } from './shortcuts.js';

/**
 * The console shell: sidebar, read-only banner and the routed screen inside its own error boundary.
 * No screen renders before session.info answers, so every screen knows for certain whether the data
 * folder is read-only (editing controls are then left out, not just disabled).
 */
export function App() {
  const route = useRoute();
  const info = useConsole((s) => s.session.info);
  const sessionError = useConsole((s) => s.session.error);
  useNavShortcuts();

  useEffect(() => {
    startConsoleEvents();
    void consoleStore.getState().session.load();
  }, []);

  const [head = '', ...params] = route;
  const entry = ROUTES[head];
  useEffect(() => {
    if (!entry) navigate(DEFAULT_ROUTE);
  }, [entry]);
  useEffect(() => {
    document.title = entry ? `${entry.title} · Pingdesk` : 'Pingdesk';
  }, [entry]);

  const Screen = entry?.screen;
  return (
    <div className="shell">
      <div className="shell-banner">
        <ReadOnlyBanner />
        <StorageBanner />
      </div>
      <Nav current={head} />
      <main className="content" tabIndex={-1} data-testid={`screen-${head || DEFAULT_ROUTE}`}>
        {!info ? (
          <div className="connecting">
            {sessionError ? (
              <div className="stack">
                <ErrorBanner error={sessionError} />
                <button type="button" className="btn" onClick={() => void consoleStore.getState().session.load()}>
                  Retry
                </button>
              </div>
            ) : (
              'Connecting to the engine…'
            )}
          </div>
        ) : (
          Screen && (
            <ScreenBoundary name={entry.title} resetKey={route.join('/')}>
              <Suspense key={head} fallback={<div className="connecting">Loading…</div>}>
                <Screen params={params} />
              </Suspense>
            </ScreenBoundary>
          )
        )}
      </main>
      <Toasts />
    </div>
  );
}
