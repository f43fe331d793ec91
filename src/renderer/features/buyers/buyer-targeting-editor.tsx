import { useMemo } from 'react';
import type { Weekday } from '../../../shared/domain.js';
import { Field } from '../../ui/field.js';
import type { BuyerForm, RuleForm } from './buyer-form.js';
import { RULE_OPS, WEEKDAYS } from './buyer-form.js';
import type { FieldErrors } from './field-errors.js';
import { errorAt } from './field-errors.js';
import { TextField } from './form-controls.js';

type Set = <K extends keyof BuyerForm>(key: K, value: BuyerForm[K]) => void;

const OP_LABELS: Record<RuleForm['op'], string> = { eq: '=', neq: '≠', in: 'in', nin: 'not in', gte: '≥', lte: '≤', gt: '>', lt: '<', exists: 'is present' };

function timeZones(): string[] {
  const intl = Intl as typeof Intl & { supportedValuesOf?: (key: string) => string[] };
  return intl.supportedValuesOf?.('timeZone') ?? ['America/New_York', 'America/Chicago', 'America/Denver', 'America/Los_Angeles', 'UTC'];
}

/** Who the buyer buys from and when: filters, field rules, schedule and caps. */
export function BuyerTargetingEditor({ form, set, errors, readOnly, fieldNames }: { form: BuyerForm; set: Set; errors: FieldErrors; readOnly: boolean; fieldNames: string[] }) {
  const common = { errors, readOnly };
  const zones = useMemo(timeZones, []);
  return (
    <>
      <section className="panel stack" data-testid="buyer-filters">
        <h2>Filters</h2>
        <div className="grid-2">
          <TextField {...common} label="States" path="filters.states" value={form.states} onChange={(v) => set('states', v)} placeholder="all states — or e.g. TX, CA" hint="Two-letter codes, comma separated" />
          <TextField {...common} label="Excluded states" path="filters.excludeStates" value={form.excludeStates} onChange={(v) => set('excludeStates', v)} placeholder="e.g. NY" />
          <TextField {...common} label="Zips or zip prefixes" path="filters.zips" value={form.zips} onChange={(v) => set('zips', v)} placeholder="all — or e.g. 787, 78701" />
          <TextField {...common} label="Excluded zips" path="filters.excludeZips" value={form.excludeZips} onChange={(v) => set('excludeZips', v)} />
        </div>
        <RulesEditor rules={form.rules} onChange={(rules) => set('rules', rules)} readOnly={readOnly} error={errorAt(errors, 'filters.rules')} fieldNames={fieldNames} />
      </section>
      <div className="grid-2">
        <section className="panel stack" data-testid="buyer-schedule">
          <h2>Schedule</h2>
          <TextField {...common} label="Time zone" path="schedule.timezone" value={form.timezone} onChange={(v) => set('timezone', v)} placeholder="always open — or e.g. America/Chicago" list="pd-time-zones" />
          {!readOnly && (
            <datalist id="pd-time-zones">
              {zones.map((z) => <option key={z} value={z} />)}
            </datalist>
          )}
          <Field label="Days" error={errorAt(errors, 'schedule.days')}>
            {readOnly ? (
              <span>{form.days.length ? form.days.join(', ') : 'every day'}</span>
            ) : (
              <span className="toolbar" role="group" aria-label="Days">
                {WEEKDAYS.map((d) => (
                  <label key={d} className="checkbox">
                    <input type="checkbox" checked={form.days.includes(d)} onChange={(e) => set('days', toggleDay(form.days, d, e.target.checked))} />
                    {d}
                  </label>
                ))}
              </span>
            )}
          </Field>
          <div className="grid-2">
            <TextField {...common} label="From" path="schedule.from" value={form.from} onChange={(v) => set('from', v)} type="time" />
            <TextField {...common} label="To (exclusive)" path="schedule.to" value={form.to} onChange={(v) => set('to', v)} type="time" />
          </div>
        </section>
        <section className="panel stack" data-testid="buyer-caps">
          <h2>Caps</h2>
          <TextField {...common} label="Leads per hour" path="caps.hourly" value={form.hourly} onChange={(v) => set('hourly', v)} placeholder="no cap" />
          <TextField {...common} label="Leads per day" path="caps.daily" value={form.daily} onChange={(v) => set('daily', v)} placeholder="no cap" />
          <TextField {...common} label="Daily budget ($)" path="caps.dailyBudget" value={form.dailyBudget} onChange={(v) => set('dailyBudget', v)} placeholder="no budget" />
        </section>
      </div>
    </>
  );
}

function toggleDay(days: Weekday[], day: Weekday, on: boolean): Weekday[] {
  const set = new Set(days);
  if (on) set.add(day);
  else set.delete(day);
  return WEEKDAYS.filter((d) => set.has(d));
}

function RulesEditor({ rules, onChange, readOnly, error, fieldNames }: { rules: RuleForm[]; onChange: (r: RuleForm[]) => void; readOnly: boolean; error?: string; fieldNames: string[] }) {
  const update = (i: number, r: RuleForm) => onChange(rules.map((x, j) => (j === i ? r : x)));
  return (
    <div className="field" data-testid="field-rules">
      <span className="field-label">Field rules (all must hold)</span>
      {readOnly ? (
        rules.length ? (
          <ul style={{ margin: 0, paddingLeft: 18 }}>
            {rules.map((r, i) => (
              <li key={i} className="mono">{r.field} {OP_LABELS[r.op]} {r.op === 'exists' ? '' : r.value}</li>
            ))}
          </ul>
        ) : (
          <span className="muted small">None</span>
        )
      ) : (
        <div className="stack" style={{ gap: 4 }}>
          {rules.map((r, i) => (
            <div key={i} className="toolbar" style={{ flexWrap: 'nowrap' }}>
              <input className="input mono" aria-label={`Rule ${i + 1} field`} list="pd-rule-fields" placeholder="field" value={r.field} onChange={(e) => update(i, { ...r, field: e.target.value })} />
              <select className="select" aria-label={`Rule ${i + 1} operator`} value={r.op} onChange={(e) => update(i, { ...r, op: e.target.value as RuleForm['op'] })}>
                {RULE_OPS.map((op) => <option key={op} value={op}>{OP_LABELS[op]}</option>)}
              </select>
              {r.op !== 'exists' && (
                <input className="input mono" aria-label={`Rule ${i + 1} value`} placeholder={r.op === 'in' || r.op === 'nin' ? 'a, b, c' : 'value'} value={r.value} onChange={(e) => update(i, { ...r, value: e.target.value })} style={{ flex: 1 }} />
              )}
              <button type="button" className="btn btn-small" aria-label={`Remove rule ${i + 1}`} onClick={() => onChange(rules.filter((_, j) => j !== i))}>✕</button>
            </div>
          ))}
          <datalist id="pd-rule-fields">
            {fieldNames.map((f) => <option key={f} value={f} />)}
          </datalist>
          <div>
            <button type="button" className="btn btn-small" onClick={() => onChange([...rules, { field: '', op: 'eq', value: '' }])}>+ Add rule</button>
          </div>
        </div>
      )}
      {error && <span className="field-error" role="alert">{error}</span>}
    </div>
  );
}
