import type { BundleCheckpoints, BundleDeliveries, BundleLead, BundleTrail } from './bundle-format.js';
import type { BundleVerdict } from './verify-bundle.js';

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

function esc(value: unknown): string {
  if (value === null || value === undefined || value === '') return '—';
  return String(value).replace(/[&<>"']/g, (c) => ESCAPES[c]);
}

function time(ms: number | null | undefined): string {
  return ms == null ? '—' : new Date(ms).toISOString().replace('T', ' ').replace(/\.\d+Z$/, ' UTC');
}

function money(cents: number | null | undefined): string {
  return cents == null ? '—' : `$${(cents / 100).toFixed(2)}`;
}

function row(label: string, value: string): string {
  return `<tr><th scope="row">${esc(label)}</th><td>${value}</td></tr>`;
}

const STYLE = `
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;color:#111;margin:24px auto;max-width:960px;padding:0 16px}
h1{font-size:22px;margin:0 0 4px}h2{font-size:17px;margin:28px 0 8px;border-bottom:1px solid #999;padding-bottom:2px}
table{border-collapse:collapse;width:100%;margin:4px 0}th,td{text-align:left;vertical-align:top;padding:3px 8px;border-bottom:1px solid #ddd}
th[scope=row]{width:200px;font-weight:600}thead th{background:#f2f2f2}
code,.mono{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:12px;word-break:break-all}
.consent{white-space:pre-wrap;border:1px solid #999;padding:8px 12px;background:#fafafa}
.ok{color:#0a5c2b;font-weight:600}.bad{color:#9b1c1c;font-weight:600}.warn{color:#8a5a00;font-weight:600}
.muted{color:#555}.small{font-size:12px}
@media print{body{margin:0;max-width:none;font-size:11pt}h2{break-after:avoid}tr,.consent{break-inside:avoid}thead{display:table-header-group}a{color:inherit;text-decoration:none}}
@page{margin:16mm}
`;

/**
 * The human page of an evidence bundle: one HTML file with its styles inline, no scripts and no
 * external resources, laid out to print. It shows the bundle's files; the proof is in those files.
 */
export function renderEvidencePage(p: { lead: BundleLead; deliveries: BundleDeliveries; trail: BundleTrail; checkpoint: BundleCheckpoints; createdAt: number; verdict: BundleVerdict }): string {
  const { lead, deliveries, trail, checkpoint, verdict } = p;
  const c = lead.consent;
  const erased = lead.erasedAt != null;
  const fields = Object.entries(lead.fields)
    .map(([k, v]) => row(k, v === null && erased ? '<span class="muted">erased</span>' : esc(v)))
    .join('');
  const consent = [
    row('Consent text (as shown)', `<div class="consent">${esc(c.text)}</div>`),
    row('Captured at', esc(c.captured_at)),
    row('IP address', erased && !c.ip ? '<span class="muted">erased</span>' : esc(c.ip)),
    row('Page URL', erased && !c.page_url ? '<span class="muted">erased</span>' : `<span class="mono">${esc(c.page_url)}</span>`),
    row('TrustedForm certificate', erased && !c.trustedform_cert_url ? '<span class="muted">erased</span>' : `<span class="mono">${esc(c.trustedform_cert_url)}</span>`),
    row('LeadiD token', erased && !c.leadid_token ? '<span class="muted">erased</span>' : `<span class="mono">${esc(c.leadid_token)}</span>`),
    row('User agent', esc(c.user_agent)),
    row('Named sellers', c.sellers?.length ? c.sellers.map(esc).join(', ') : '—'),
  ].join('');
  const pings = deliveries.pings
    .map((x) => `<tr><td>${time(x.sentAt)}</td><td>${esc(x.buyerName ?? x.buyerId)} <span class="muted small">${esc(x.buyerId)}</span></td><td>${x.tierIndex + 1}</td><td>${esc(x.outcome)}</td><td>${money(x.bidCents)}</td><td>${esc(x.reason)}</td></tr>`)
    .join('');
  const posts = deliveries.posts
    .map((x) => `<tr><td>${time(x.sentAt)}</td><td>${esc(x.buyerName ?? x.buyerId)} <span class="muted small">${esc(x.buyerId)}</span></td><td>${x.attempt}</td><td>${esc(x.outcome)}</td><td>${money(x.priceCents)}</td><td>${esc(x.reason)}${x.buyerRef ? ` <span class="muted small">ref ${esc(x.buyerRef)}</span>` : ''}</td></tr>`)
    .join('');
  const events = trail.events
    .map((e) => `<tr><td>${e.seq}</td><td>${time(e.at)}</td><td>${esc(e.type)}</td><td>${esc(e.actor)}</td><td><code>${esc(e.data)}</code></td><td><code>${esc(e.hash)}</code></td></tr>`)
    .join('');
  const statusClass = verdict.status === 'verified' ? 'ok' : verdict.status === 'unsigned' ? 'warn' : 'bad';
  const statusText = verdict.status === 'verified' ? 'Verified' : verdict.status === 'unsigned' ? 'Consistent, not yet signed' : `Failed: ${esc(verdict.problem)}`;
  const signature =
    checkpoint.checkpoints
      .map((cp) => [row('Checkpoint', `seq ${cp.seq} at ${time(cp.at)}`), row('Checkpoint hash', `<code>${esc(cp.hash)}</code>`), row('Signing key id', `<code>${esc(cp.keyId)}</code>`), row('Signature (Ed25519)', `<code>${esc(cp.signature)}</code>`)].join(''))
      .join('') + (checkpoint.unsigned ? row('Checkpoint', `<span class="warn">not yet signed</span> from seq ${checkpoint.unsigned.from} — ${esc(checkpoint.unsigned.reason)}`) : '');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Evidence — lead ${esc(lead.id)}</title>
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<style>${STYLE}</style></head><body>
<h1>Evidence bundle — lead <span class="mono">${esc(lead.id)}</span></h1>
<p class="muted">Made ${time(p.createdAt)} by Pingdesk. Check it with <code>pingdesk evidence verify &lt;file&gt;.zip</code> (offline; <code>--public-key FILE</code> for a key you hold separately).</p>
<h2>Verification</h2><table>
${row('Result', `<span class="${statusClass}">${statusText}</span>`)}
${verdict.passed.map((line) => row('Checked', esc(line))).join('')}
${signature}
${row('Database id', `<code>${esc(checkpoint.databaseId)}</code>`)}
</table>
<h2>Lead</h2><table>
${row('Lead id', `<code>${esc(lead.id)}</code>`)}
${row('Received', time(lead.receivedAt))}
${row('Campaign', esc(lead.campaignId))}
${row('Source', esc(lead.sourceId))}
${row('Status', esc(lead.status))}
${row('Sold to', lead.buyerId ? `${esc(lead.buyerId)} for ${money(lead.priceCents)}` : '—')}
${row('Test lead', lead.test ? 'yes' : 'no')}
${erased ? row('Erased', `<span class="warn">${time(lead.erasedAt)}</span> — the consumer's contact data was erased on request`) : ''}
</table>
<h2>Consent as shown to the consumer</h2><table>${consent}</table>
<h2>Record as received</h2><table>${fields}</table>
<h2>Deliveries</h2>
<p>Pings carried only these fields: ${deliveries.pingFields ? deliveries.pingFields.map((f) => `<code>${esc(f)}</code>`).join(', ') || '—' : '<span class="muted">unknown (the campaign no longer exists)</span>'} <span class="muted small">(the campaign's ping fields as configured when this bundle was made; the sentHash of each ping round's event pins the fields every buyer of the round was sent)</span>.</p>
<table><thead><tr><th>Pinged at</th><th>Buyer</th><th>Tier</th><th>Outcome</th><th>Bid</th><th>Reason</th></tr></thead><tbody>${pings || '<tr><td colspan="6">No pings.</td></tr>'}</tbody></table>
<p>The full record went to:</p>
<table><thead><tr><th>Posted at</th><th>Buyer</th><th>Attempt</th><th>Outcome</th><th>Price</th><th>Answer</th></tr></thead><tbody>${posts || '<tr><td colspan="6">Nobody: the full record was not posted.</td></tr>'}</tbody></table>
<h2>Audit trail</h2>
<table><thead><tr><th>Seq</th><th>At</th><th>Type</th><th>Actor</th><th>Data</th><th>Hash</th></tr></thead><tbody>${events}</tbody></table>
</body></html>
`;
}
