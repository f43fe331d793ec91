import { useEffect, useRef, useState } from 'react';
import { consoleStore, useConsole } from '../../store/use-console.js';
import { formatMoney } from '../../ui/format.js';
import { DynamicFloorControl } from './dynamic-floor-control.js';

/** A tier's floor and, under it, its dynamic floor (badge, last change, settings). */
export function FloorEditor(props: { campaignId: string; tierIndex: number; floor: number; readOnly: boolean }) {
  return (
    <>
      <FloorInput {...props} />
      <DynamicFloorControl campaignId={props.campaignId} tierIndex={props.tierIndex} readOnly={props.readOnly} />
    </>
  );
}

/**
 * A tier's floor, edited in place: click it, type, Enter saves (tiers.setFloor), Escape cancels.
 * A bad entry or the engine's refusal shows beside it and keeps the input open. When the input
 * closes, focus goes back to the floor's button, so the keyboard stays where the broker was.
 */
function FloorInput({ campaignId, tierIndex, floor, readOnly }: { campaignId: string; tierIndex: number; floor: number; readOnly: boolean }) {
  const [text, setText] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const button = useRef<HTMLButtonElement>(null);
  const refocus = useRef(false);
  useEffect(() => {
    if (text === null && refocus.current) {
      refocus.current = false;
      button.current?.focus();
    }
  }, [text]);
  const error = useConsole((s) => {
    const e = s.tiers.floorError;
    return e && e.campaignId === campaignId && e.tierIndex === tierIndex ? e.message : null;
  });

  if (readOnly) return <span className="tabular" data-testid={`tier-floor-${tierIndex}`}>Floor {formatMoney(floor)}</span>;

  const cancel = () => {
    refocus.current = true;
    setText(null);
    consoleStore.getState().tiers.clearErrors();
  };
  const save = async () => {
    if (text === null) return;
    setSaving(true);
    const ok = await consoleStore.getState().tiers.setFloor(campaignId, tierIndex, text);
    setSaving(false);
    if (ok) {
      refocus.current = true;
      // The Ping tree's toast ("Tier 1 floor $20.00 → $25.00 · Undo") confirms the save.
      setText(null);
    }
  };

  if (text === null) {
    return (
      <button ref={button} type="button" className="btn btn-small tabular" style={{ alignSelf: 'flex-start' }} title="Click to change the floor" onClick={() => setText(floor.toFixed(2))} data-testid={`tier-floor-${tierIndex}`}>
        Floor {formatMoney(floor)}
      </button>
    );
  }
  return (
    <span className="stack" style={{ gap: 2, alignSelf: 'flex-start' }}>
      <span className="toolbar" style={{ flexWrap: 'nowrap', gap: 4 }}>
        <span className="muted">$</span>
        <input
          className="input tabular"
          style={{ width: 90 }}
          autoFocus
          aria-label="Floor in dollars"
          aria-invalid={error ? true : undefined}
          value={text}
          disabled={saving}
          onChange={(e) => setText(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === 'Enter') void save();
            if (e.key === 'Escape') {
              e.stopPropagation();
              cancel();
            }
          }}
          data-testid={`tier-floor-input-${tierIndex}`}
        />
      </span>
      {error ? (
        <span className="field-error" role="alert" data-testid={`tier-floor-error-${tierIndex}`}>{error}</span>
      ) : (
        <span className="field-hint">Enter to save, Esc to cancel</span>
      )}
    </span>
  );
}
