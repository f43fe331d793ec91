import { useConsole } from '../store/use-console.js';

/** The compliance reviewer's reminder that nothing here can change the data folder. */
export function ReadOnlyBanner() {
  const info = useConsole((s) => s.session.info);
  if (!info?.readOnly) return null;
  return (
    <div className="readonly-banner" role="status" data-testid="readonly-banner">
      {info.archive ? (
        <>
          Read-only archive — <code>{info.archive}</code> (no intake)
        </>
      ) : (
        <>
          Read-only copy — <code>{info.dataDir}</code>
        </>
      )}
    </div>
  );
}
