import { useRef, useState } from 'react';
import { ApiError } from '../../api/client.js';
import { consoleStore } from '../../store/use-console.js';
import { Dialog } from '../../ui/dialog.js';
import { errorMessage } from '../../ui/errors.js';
import { downloadText } from '../../ui/download.js';

interface Pending {
  fileName: string;
  workspace: unknown;
  counts: { campaigns: number; sources: number; buyers: number } | null;
}

const countOf = (ws: unknown, key: string): number => {
  const list = ws && typeof ws === 'object' ? (ws as Record<string, unknown>)[key] : undefined;
  return Array.isArray(list) ? list.length : 0;
};

/**
 * Workspace export (campaigns, sources, buyers and tiers as one JSON file, keys as hashes only) and
 * import. A refused import lists every problem by its path in the file.
 */
export function WorkspaceActions({ readOnly }: { readOnly: boolean }) {
  const input = useRef<HTMLInputElement>(null);
  const [pending, setPending] = useState<Pending | null>(null);
  const [problems, setProblems] = useState<{ message: string; details: Array<{ field: string; message: string }> } | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const exportFile = async () => {
    setProblems(null);
    try {
      const ws = await consoleStore.getState().config.exportWorkspace();
      downloadText(`pingdesk-workspace-${new Date().toISOString().slice(0, 10)}.json`, `${JSON.stringify(ws, null, 2)}\n`, 'application/json');
    } catch (e) {
      setProblems({ message: errorMessage(e), details: [] });
    }
  };

  const choose = async (file: File | undefined) => {
    if (!file) return;
    setProblems(null);
    setDone(null);
    try {
      const workspace: unknown = JSON.parse(await file.text());
      setPending({ fileName: file.name, workspace, counts: { campaigns: countOf(workspace, 'campaigns'), sources: countOf(workspace, 'sources'), buyers: countOf(workspace, 'buyers') } });
    } catch (e) {
      setProblems({ message: `${file.name} is not a JSON file: ${errorMessage(e)}`, details: [] });
    }
  };

  const importNow = async () => {
    if (!pending) return;
    setBusy(true);
    try {
      const counts = await consoleStore.getState().config.importWorkspace(pending.workspace);
      setDone(`Imported ${counts.campaigns} campaign(s), ${counts.sources} source(s) and ${counts.buyers} buyer(s) from ${pending.fileName}.`);
      setPending(null);
    } catch (e) {
      setProblems({ message: errorMessage(e), details: e instanceof ApiError ? (e.details ?? []) : [] });
      setPending(null);
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <button type="button" className="btn" onClick={() => void exportFile()} data-testid="export-workspace">Export workspace</button>
      {!readOnly && (
        <>
          <button type="button" className="btn" onClick={() => input.current?.click()} data-testid="import-workspace">Import workspace…</button>
          <input
            ref={input}
            type="file"
            accept="application/json,.json"
            hidden
            data-testid="import-file"
            onChange={(e) => {
              void choose(e.target.files?.[0]);
              e.target.value = '';
            }}
          />
        </>
      )}
      {done && <span className="text-ok small" role="status" data-testid="import-done">{done}</span>}
      {problems && (
        <Dialog title="Workspace not imported" testId="import-problems" onClose={() => setProblems(null)} footer={<button type="button" className="btn" onClick={() => setProblems(null)}>OK</button>} wide>
          <div className="error-banner" role="alert">
            <div className="error-body">
              <div>{problems.message}</div>
              {problems.details.length > 0 && (
                <ul data-testid="import-problem-list">
                  {problems.details.map((d, i) => (
                    <li key={i}><code>{d.field}</code>: {d.message}</li>
                  ))}
                </ul>
              )}
            </div>
          </div>
        </Dialog>
      )}
      {pending && (
        <Dialog
          title="Import workspace?"
          testId="import-confirm"
          onClose={() => setPending(null)}
          onSubmit={() => void importNow()}
          footer={
            <>
              <button type="button" className="btn" onClick={() => setPending(null)}>Cancel</button>
              <button type="submit" className="btn btn-primary" disabled={busy} data-testid="confirm-import">{busy ? 'Importing…' : 'Import'}</button>
            </>
          }
        >
          <p style={{ margin: 0 }}>
            <strong>{pending.fileName}</strong> holds {pending.counts?.campaigns} campaign(s), {pending.counts?.sources} source(s) and {pending.counts?.buyers} buyer(s).
            Items with the same id as existing ones replace them.
          </p>
        </Dialog>
      )}
    </>
  );
}
