import { useState, type FormEvent } from 'react';
import { consoleStore, useConsole } from '../../store/use-console.js';
import { PRESET_LABELS, type RangePreset } from '../../store/report-range.js';

const PRESETS: Array<Exclude<RangePreset, 'custom'>> = ['1h', '24h', '7d', '30d'];

/** `datetime-local` speaks local wall time without a zone; these convert to and from epoch ms. */
function toLocalInput(ms: number): string {
  const d = new Date(ms - new Date(ms).getTimezoneOffset() * 60_000);
  return d.toISOString().slice(0, 16);
}
function fromLocalInput(value: string): number {
  return new Date(value).getTime();
}

export function RangePicker() {
  const preset = useConsole((s) => s.reports.preset);
  const from = useConsole((s) => s.reports.from);
  const to = useConsole((s) => s.reports.to);
  const [custom, setCustom] = useState<{ from: string; to: string } | null>(null);

  const applyCustom = (e: FormEvent) => {
    e.preventDefault();
    if (!custom) return;
    void consoleStore.getState().reports.setCustomRange(fromLocalInput(custom.from), fromLocalInput(custom.to));
  };

  return (
    <div className="toolbar" data-testid="range-picker">
      {PRESETS.map((p) => (
        <button
          key={p}
          type="button"
          className="btn btn-small"
          aria-pressed={preset === p}
          onClick={() => {
            setCustom(null);
            void consoleStore.getState().reports.setPreset(p);
          }}
          data-testid={`range-${p}`}
        >
          {PRESET_LABELS[p]}
        </button>
      ))}
      <button type="button" className="btn btn-small" aria-pressed={preset === 'custom' || custom != null} onClick={() => setCustom({ from: toLocalInput(from), to: toLocalInput(to) })} data-testid="range-custom">
        Custom…
      </button>
      {custom && (
        <form className="toolbar" onSubmit={applyCustom}>
          <input className="input" type="datetime-local" aria-label="From" value={custom.from} onChange={(e) => setCustom({ ...custom, from: e.target.value })} required />
          <span className="muted">to</span>
          <input className="input" type="datetime-local" aria-label="To" value={custom.to} onChange={(e) => setCustom({ ...custom, to: e.target.value })} required />
          <button type="submit" className="btn btn-small btn-primary">
            Apply
          </button>
        </form>
      )}
    </div>
  );
}
