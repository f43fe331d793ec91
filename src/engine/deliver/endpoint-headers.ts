import type { EndpointAuth, EndpointSpec } from '../../shared/domain.js';

/**
 * Headers for one request to a buyer endpoint. Precedence, lowest first: our Content-Type, the
 * endpoint's own headers (a buyer that insists on `text/xml` can say so), then the auth, so a stray
 * `Authorization` in the headers map cannot shadow the configured credentials.
 */
export function endpointHeaders(endpoint: EndpointSpec, contentType: string): Record<string, string> {
  const headers: Record<string, string> = { 'content-type': contentType };
  for (const [name, value] of Object.entries(endpoint.headers ?? {})) headers[name.toLowerCase()] = value;
  Object.assign(headers, authHeaders(endpoint.auth));
  return headers;
}

export function authHeaders(auth: EndpointAuth | undefined): Record<string, string> {
  switch (auth?.type) {
    case 'bearer':
      return auth.token ? { authorization: `Bearer ${auth.token}` } : {};
    case 'basic':
      return { authorization: `Basic ${Buffer.from(`${auth.username ?? ''}:${auth.password ?? ''}`, 'utf8').toString('base64')}` };
    case 'header':
      return auth.header ? { [auth.header.toLowerCase()]: auth.value ?? '' } : {};
    default:
      return {};
  }
}

/** Names of headers that carry credentials, so captured requests can be shown without them. */
export function credentialHeaderNames(auth: EndpointAuth | undefined): string[] {
  const names = ['authorization'];
  if (auth?.type === 'header' && auth.header) names.push(auth.header.toLowerCase());
  return names;
}
