import type { ConsentRecord } from '../../../shared/domain.js';
import { DASH } from '../../ui/format.js';

/** Only http(s) links are clickable: a certificate URL comes from a lead source and is not trusted. */
function safeLink(url: string | undefined) {
  if (!url) return DASH;
  const ok = /^https?:\/\//i.test(url);
  return ok ? (
    <a href={url} target="_blank" rel="noreferrer noopener">
      {url}
    </a>
  ) : (
    <span className="mono">{url}</span>
  );
}

/** The consent as captured: the words the consumer agreed to, when, where, and the sellers named. */
export function ConsentPanel({ consent }: { consent: ConsentRecord }) {
  return (
    <section className="panel" data-testid="lead-consent">
      <h2>Consent</h2>
      <blockquote style={{ margin: '0 0 10px', padding: '8px 12px', background: '#f7f8fa', borderLeft: '3px solid #c6cbd3', whiteSpace: 'pre-wrap' }} data-testid="consent-text">
        {consent.text}
      </blockquote>
      <dl className="props">
        <dt>Captured</dt>
        <dd className="tabular">{consent.captured_at}</dd>
        <dt>IP</dt>
        <dd className="mono">{consent.ip ?? DASH}</dd>
        <dt>Page</dt>
        <dd>{safeLink(consent.page_url)}</dd>
        <dt>TrustedForm</dt>
        <dd data-testid="consent-trustedform">{safeLink(consent.trustedform_cert_url)}</dd>
        <dt>LeadiD</dt>
        <dd className="mono">{consent.leadid_token ?? DASH}</dd>
        <dt>Named sellers</dt>
        <dd data-testid="consent-sellers">{consent.sellers?.length ? consent.sellers.join(', ') : DASH}</dd>
        {consent.user_agent && (
          <>
            <dt>User agent</dt>
            <dd className="small">{consent.user_agent}</dd>
          </>
        )}
      </dl>
    </section>
  );
}
