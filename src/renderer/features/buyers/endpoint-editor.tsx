import type { EndpointAuth } from '../../../shared/domain.js';
import type { EndpointForm, StaticRowForm, TemplateForm } from './buyer-form.js';
import type { FieldErrors } from './field-errors.js';
import { errorAt } from './field-errors.js';
import { CheckField, SelectField, TextField } from './form-controls.js';
import { KeyValueRows } from './key-value-rows.js';

const AUTH_OPTIONS: Array<{ value: EndpointAuth['type']; label: string }> = [
  { value: 'none', label: 'None' },
  { value: 'bearer', label: 'Bearer token' },
  { value: 'basic', label: 'Basic (user + password)' },
  { value: 'header', label: 'Custom header' },
];
const FORMATS = [
  { value: 'json', label: 'JSON' },
  { value: 'form', label: 'Form (urlencoded)' },
  { value: 'xml', label: 'XML' },
] as const;
const RESPONSE_FORMATS = [{ value: '', label: 'Same as request' }, ...FORMATS, { value: 'text', label: 'Plain text' }] as const;

/** One buyer endpoint (ping or post): URL, timeout, method, headers, auth and delivery template. */
export function EndpointEditor({ path, title, form, onChange, errors, readOnly, urlHint, kind }: {
  path: 'ping' | 'post';
  title: string;
  form: EndpointForm;
  onChange: (form: EndpointForm) => void;
  errors: FieldErrors;
  readOnly: boolean;
  urlHint?: string;
  kind: 'ping' | 'post';
}) {
  const set = <K extends keyof EndpointForm>(key: K, value: EndpointForm[K]) => onChange({ ...form, [key]: value });
  const auth = form.auth;
  const setAuth = (patch: Partial<EndpointForm['auth']>) => set('auth', { ...auth, ...patch });
  const common = { errors, readOnly };
  return (
    <section className="panel stack" data-testid={`endpoint-${path}`}>
      <h2>{title}</h2>
      <div className="grid-3">
        <TextField {...common} span={2} label="URL" path={`${path}.url`} value={form.url} onChange={(v) => set('url', v)} placeholder={`https://buyer.example/${kind}`} hint={urlHint} mono />
        <TextField {...common} label="Timeout (ms)" path={`${path}.timeoutMs`} value={form.timeoutMs} onChange={(v) => set('timeoutMs', v)} placeholder="campaign default" />
        <SelectField {...common} label="Method" path={`${path}.method`} value={form.method} onChange={(v) => set('method', v)} options={[{ value: 'POST', label: 'POST' }, { value: 'PUT', label: 'PUT' }]} />
        <SelectField {...common} label="Auth" path={`${path}.auth.type`} value={auth.type} onChange={(v) => setAuth({ type: v })} options={AUTH_OPTIONS} />
        {auth.type === 'bearer' && <TextField {...common} label="Token" path={`${path}.auth.token`} value={auth.token} onChange={(v) => setAuth({ token: v })} type="password" mono />}
        {auth.type === 'basic' && (
          <>
            <TextField {...common} label="User" path={`${path}.auth.username`} value={auth.username} onChange={(v) => setAuth({ username: v })} />
            <TextField {...common} label="Password" path={`${path}.auth.password`} value={auth.password} onChange={(v) => setAuth({ password: v })} type="password" />
          </>
        )}
        {auth.type === 'header' && (
          <>
            <TextField {...common} label="Header name" path={`${path}.auth.header`} value={auth.header} onChange={(v) => setAuth({ header: v })} placeholder="X-Api-Key" mono />
            <TextField {...common} label="Header value" path={`${path}.auth.value`} value={auth.value} onChange={(v) => setAuth({ value: v })} type="password" mono />
          </>
        )}
      </div>
      <div className="field">
        <span className="field-label">Extra headers</span>
        <KeyValueRows rows={form.headers} onChange={(rows) => set('headers', rows)} readOnly={readOnly} keyLabel="Header" valueLabel="Value" blank={() => ({ key: '', value: '' })} error={errorAt(errors, `${path}.headers`)} testId={`${path}-headers`} />
      </div>
      <CheckField {...common} label="Buyer's own API (delivery template instead of the native protocol)" path={`${path}.template`} checked={form.template.enabled} onChange={(v) => set('template', { ...form.template, enabled: v })} />
      {form.template.enabled && <TemplateEditor path={`${path}.template`} form={form.template} onChange={(t) => set('template', t)} errors={errors} readOnly={readOnly} kind={kind} />}
    </section>
  );
}

function TemplateEditor({ path, form, onChange, errors, readOnly, kind }: { path: string; form: TemplateForm; onChange: (t: TemplateForm) => void; errors: FieldErrors; readOnly: boolean; kind: 'ping' | 'post' }) {
  const set = <K extends keyof TemplateForm>(key: K, value: TemplateForm[K]) => onChange({ ...form, [key]: value });
  const common = { errors, readOnly };
  return (
    <div className="stack" style={{ borderLeft: '3px solid var(--border)', paddingLeft: 12 }}>
      <div className="grid-3">
        <SelectField {...common} label="Body format" path={`${path}.format`} value={form.format} onChange={(v) => set('format', v)} options={FORMATS} />
        {form.format === 'xml' && <TextField {...common} label="XML root element" path={`${path}.root`} value={form.root} onChange={(v) => set('root', v)} placeholder="lead" mono />}
      </div>
      <div className="field">
        <span className="field-label">Field mapping (buyer's name → our field)</span>
        <KeyValueRows rows={form.fields} onChange={(rows) => set('fields', rows)} readOnly={readOnly} keyLabel="Buyer field" valueLabel="Our field" blank={() => ({ key: '', value: '' })} error={errorAt(errors, `${path}.fields`)} testId={`${path}-fields`} />
      </div>
      <div className="field">
        <span className="field-label">Static values</span>
        <KeyValueRows<StaticRowForm>
          rows={form.statics}
          onChange={(rows) => set('statics', rows)}
          readOnly={readOnly}
          keyLabel="Name"
          valueLabel="Value"
          blank={() => ({ key: '', value: '', kind: 'string' })}
          error={errorAt(errors, `${path}.static`)}
          testId={`${path}-static`}
          extra={(row, update) => (
            <select className="select" aria-label="Value type" value={row.kind} onChange={(e) => update({ ...row, kind: e.target.value as StaticRowForm['kind'] })}>
              <option value="string">text</option>
              <option value="number">number</option>
              <option value="boolean">true/false</option>
            </select>
          )}
        />
      </div>
      <h3>Reading the answer</h3>
      <div className="grid-3">
        <SelectField {...common} label="Answer format" path={`${path}.response.format`} value={form.responseFormat} onChange={(v) => set('responseFormat', v)} options={RESPONSE_FORMATS} />
        {kind === 'ping' ? (
          <>
            <TextField {...common} label="Bid path" path={`${path}.response.bidPath`} value={form.bidPath} onChange={(v) => set('bidPath', v)} placeholder="result.price" mono />
            <TextField {...common} label="Token path" path={`${path}.response.tokenPath`} value={form.tokenPath} onChange={(v) => set('tokenPath', v)} placeholder="result.token" mono />
          </>
        ) : (
          <>
            <TextField {...common} label="Accepted path" path={`${path}.response.acceptedPath`} value={form.acceptedPath} onChange={(v) => set('acceptedPath', v)} placeholder="status" mono />
            <TextField {...common} label="Accepted value" path={`${path}.response.acceptedValue`} value={form.acceptedValue} onChange={(v) => set('acceptedValue', v)} placeholder="true / accepted / success" mono />
            <TextField {...common} label="Reason path" path={`${path}.response.reasonPath`} value={form.reasonPath} onChange={(v) => set('reasonPath', v)} placeholder="message" mono />
            <TextField {...common} label="Buyer reference path" path={`${path}.response.buyerRefPath`} value={form.buyerRefPath} onChange={(v) => set('buyerRefPath', v)} placeholder="lead_id" mono />
          </>
        )}
      </div>
    </div>
  );
}
