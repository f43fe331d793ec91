import type { FieldErrors } from '../buyers/field-errors.js';
import { SelectField, TextField } from '../buyers/form-controls.js';
import type { PlacementForm } from './placement-form.js';

const MODES = [
  { value: 'off', label: 'Off: never move buyers' },
  { value: 'suggest', label: 'Suggest: show moves on the Ping tree, I apply them' },
  { value: 'automatic', label: 'Automatic: move buyers every minute' },
] as const;

/** The campaign editor's tier placement policy, with what each threshold does in the operator's words. */
export function PlacementSection({ form, onChange, errors, readOnly }: { form: PlacementForm; onChange: (f: PlacementForm) => void; errors: FieldErrors; readOnly: boolean }) {
  const common = { errors, readOnly };
  const set = <K extends keyof PlacementForm>(key: K, value: PlacementForm[K]) => onChange({ ...form, [key]: value });
  return (
    <section className="panel stack" data-testid="placement-policy">
      <h2>Tier placement</h2>
      <div className="muted small">
        Moves buyers one tier up or down from how they perform on this campaign: conversion over the last 7 days, accept rate, timeouts and
        response time over the last hour, returns over 7 days. Each move is a normal ping tree change, recorded in the audit trail with the figures
        that caused it.
      </div>
      <div className="grid-3">
        <SelectField {...common} label="Mode" path="tierPlacement.mode" value={form.mode} onChange={(v) => set('mode', v)} options={MODES} />
        <TextField {...common} label="Promote above conversion (%)" path="tierPlacement.promoteConversionPercent" value={form.promoteConversionPercent} onChange={(v) => set('promoteConversionPercent', v)} hint="Moves up one tier; in the first tier, stays" />
        <TextField {...common} label="Demote below conversion (%)" path="tierPlacement.demoteConversionPercent" value={form.demoteConversionPercent} onChange={(v) => set('demoteConversionPercent', v)} hint="Between the two, a buyer stays where it is" />
        <TextField {...common} label="Minimum accept rate (%)" path="tierPlacement.minAcceptPercent" value={form.minAcceptPercent} onChange={(v) => set('minAcceptPercent', v)} placeholder="not judged" hint="Below it: down one tier" />
        <TextField {...common} label="Maximum timeouts (% of pings)" path="tierPlacement.maxTimeoutPercent" value={form.maxTimeoutPercent} onChange={(v) => set('maxTimeoutPercent', v)} placeholder="not judged" hint="Above it: down one tier" />
        <TextField {...common} label="Maximum response, 95th percentile (ms)" path="tierPlacement.maxResponseMs" value={form.maxResponseMs} onChange={(v) => set('maxResponseMs', v)} placeholder="not judged" hint="Above it: down one tier" />
        <TextField {...common} label="Maximum return rate (%)" path="tierPlacement.maxReturnPercent" value={form.maxReturnPercent} onChange={(v) => set('maxReturnPercent', v)} placeholder="not judged" hint="Above it: down one tier" />
        <TextField {...common} label="Minimum samples" path="tierPlacement.minSamples" value={form.minSamples} onChange={(v) => set('minSamples', v)} hint="Sales, posts or pings a figure needs before it counts" />
        <TextField {...common} label="Cool-down (minutes)" path="tierPlacement.cooldownMs" value={form.cooldownMinutes} onChange={(v) => set('cooldownMinutes', v)} hint="No second move of a buyer sooner than this" />
      </div>
    </section>
  );
}
