import { describe, expect, it } from 'vitest';
import { buildPingRequest } from '../../src/engine/deliver/build-ping.js';
import { buildPostRequest } from '../../src/engine/deliver/build-post.js';
import type { PostInput } from '../../src/engine/deliver/build-post.js';
import { templateProblems } from '../../src/engine/deliver/template-problems.js';
import { compileBuyer } from '../../src/engine/workspace/compile.js';
import type { BuyerSpec, EndpointSpec } from '../../src/shared/domain.js';

function buyer(ping: Partial<EndpointSpec> | null, post: Partial<EndpointSpec> = {}, extra: Partial<BuyerSpec> = {}) {
  return compileBuyer({
    id: 'acme',
    name: 'Acme Insurance',
    ...(ping ? { ping: { url: 'http://buyer.test/ping', ...ping } } : { fixedPrice: 8 }),
    post: { url: 'http://buyer.test/post', ...post },
    ...extra,
  });
}

const ping = { pingId: 'p-1', campaign: 'auto-insurance', vertical: 'auto', fields: { state: 'TX', zip: '78701', age: 41 }, test: false };

const post: PostInput = {
  pingId: 'p-1',
  token: 'tok-9',
  priceCents: 2350,
  lead: { first_name: 'Ana', last_name: 'Diaz', phone: '+15122345678', state: 'TX', zip: '78701', age: 41 },
  consent: { text: 'I agree to Acme & Bolt', captured_at: '2026-11-27T15:04:05Z', sellers: ['Acme Insurance', 'Bolt Auto'] },
  test: false,
  leadId: 'lead-1',
};

describe('native ping', () => {
  it('sends ping_id, campaign, vertical and the given fields as JSON', () => {
    const req = buildPingRequest(buyer({}), ping);
    expect(req).toEqual({
      url: 'http://buyer.test/ping',
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"ping_id":"p-1","campaign":"auto-insurance","vertical":"auto","fields":{"state":"TX","zip":"78701","age":41}}',
    });
  });

  it('marks test leads, and only test leads, with "test": true', () => {
    expect(JSON.parse(buildPingRequest(buyer({}), { ...ping, test: true }).body).test).toBe(true);
    expect(JSON.parse(buildPingRequest(buyer({}), ping).body)).not.toHaveProperty('test');
  });

  it('refuses to build a ping for a fixed-price buyer', () => {
    expect(() => buildPingRequest(buyer(null), ping)).toThrow(/fixed-price/);
  });

  it('uses the endpoint method and headers, and auth wins over a stray Authorization header', () => {
    const req = buildPingRequest(
      buyer({ method: 'PUT', headers: { 'X-Source': 'pd', Authorization: 'stale' }, auth: { type: 'bearer', token: 'sekret' } }),
      ping,
    );
    expect(req.method).toBe('PUT');
    expect(req.headers).toEqual({ 'content-type': 'application/json', 'x-source': 'pd', authorization: 'Bearer sekret' });
  });
});

describe('auth headers', () => {
  it('basic auth encodes user:password in base64', () => {
    const req = buildPingRequest(buyer({ auth: { type: 'basic', username: 'ana', password: 'p:w' } }), ping);
    expect(req.headers.authorization).toBe(`Basic ${Buffer.from('ana:p:w').toString('base64')}`);
  });

  it('header auth sets the named header', () => {
    const req = buildPingRequest(buyer({ auth: { type: 'header', header: 'X-Api-Key', value: 'k-1' } }), ping);
    expect(req.headers['x-api-key']).toBe('k-1');
    expect(req.headers).not.toHaveProperty('authorization');
  });

  it('an endpoint header may override the content type a format implies', () => {
    const req = buildPingRequest(buyer({ headers: { 'Content-Type': 'text/xml' }, template: { format: 'xml' } }), ping);
    expect(req.headers['content-type']).toBe('text/xml');
  });
});

describe('templated ping', () => {
  it('json maps buyer names to ours, nests dotted names, adds statics and keeps ping_id', () => {
    const req = buildPingRequest(
      buyer({ template: { format: 'json', fields: { 'location.state': 'state', 'location.zip': 'zip', applicant_age: 'age' }, static: { v: 2 } } }),
      ping,
    );
    expect(req.headers['content-type']).toBe('application/json');
    expect(req.body).toBe('{"ping_id":"p-1","location":{"state":"TX","zip":"78701"},"applicant_age":41,"v":2}');
  });

  it('mapping a name to $ping_id replaces the default ping_id entry', () => {
    const req = buildPingRequest(buyer({ template: { format: 'json', fields: { RequestId: '$ping_id', St: 'state', T: '$test', C: '$campaign' } } }), ping);
    expect(JSON.parse(req.body)).toEqual({ RequestId: 'p-1', St: 'TX', T: false, C: 'auto-insurance' });
  });

  it('sends nothing for lead id, price, token, consent or fields the ping was not given', () => {
    const req = buildPingRequest(
      buyer({ template: { format: 'json', fields: { st: 'state', id: '$lead_id', p: '$price', t: '$token', c: 'consent.text', ph: 'phone' } } }),
      ping,
    );
    expect(JSON.parse(req.body)).toEqual({ ping_id: 'p-1', st: 'TX' });
  });

  it('form encodes name=value pairs', () => {
    const req = buildPingRequest(buyer({ template: { format: 'form', fields: { state_code: 'state', zip: 'zip' }, static: { src: 'a b&c' } } }), ping);
    expect(req.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(req.body).toBe('ping_id=p-1&state_code=TX&zip=78701&src=a+b%26c');
  });

  it('xml builds a root element with escaped children', () => {
    const req = buildPingRequest(
      buyer({ template: { format: 'xml', root: 'LeadPing', fields: { State: 'state', 'Applicant.Age': 'age' }, static: { Note: '<a & "b">' } } }),
      ping,
    );
    expect(req.headers['content-type']).toBe('application/xml; charset=utf-8');
    expect(req.body).toBe(
      '<?xml version="1.0" encoding="UTF-8"?><LeadPing><ping_id>p-1</ping_id><State>TX</State><Applicant><Age>41</Age></Applicant>' +
        '<Note>&lt;a &amp; &quot;b&quot;&gt;</Note></LeadPing>',
    );
  });

  it('a template without a field map sends every given field under its own name', () => {
    const req = buildPingRequest(buyer({ template: { format: 'xml' } }), ping);
    expect(req.body).toBe('<?xml version="1.0" encoding="UTF-8"?><ping><ping_id>p-1</ping_id><state>TX</state><zip>78701</zip><age>41</age></ping>');
  });

  it('repairs element names that are not valid XML instead of emitting broken markup', () => {
    const req = buildPingRequest(buyer({ template: { format: 'xml', fields: { '1st state': 'state' } } }), ping);
    expect(req.body).toContain('<_1st_state>TX</_1st_state>');
  });
});

describe('native post', () => {
  it('sends ping_id, lead_id, token, price in dollars, the full lead and the consent', () => {
    const req = buildPostRequest(buyer({}), post);
    expect(req.url).toBe('http://buyer.test/post');
    expect(JSON.parse(req.body)).toEqual({
      ping_id: 'p-1',
      lead_id: 'lead-1',
      token: 'tok-9',
      price: 23.5,
      lead: post.lead,
      consent: post.consent,
    });
  });

  it('keeps a null token and exact cents, and flags test leads', () => {
    const body = JSON.parse(buildPostRequest(buyer(null), { ...post, token: null, priceCents: 1999, test: true }).body);
    expect(body.token).toBeNull();
    expect(body.price).toBe(19.99);
    expect(body.test).toBe(true);
  });
});

describe('templated post', () => {
  it('json maps lead fields, consent paths, $price in dollars and $token', () => {
    const req = buildPostRequest(
      buyer({}, { template: { format: 'json', fields: { 'contact.first': 'first_name', 'contact.phone': 'phone', amount: '$price', lock: '$token', ref: '$lead_id', tcpa: 'consent.text', sellers: 'consent.sellers' } } }),
      post,
    );
    expect(JSON.parse(req.body)).toEqual({
      ping_id: 'p-1',
      contact: { first: 'Ana', phone: '+15122345678' },
      amount: 23.5,
      lock: 'tok-9',
      ref: 'lead-1',
      tcpa: 'I agree to Acme & Bolt',
      sellers: ['Acme Insurance', 'Bolt Auto'],
    });
  });

  it('form carries the price with two decimals and repeats array values', () => {
    const req = buildPostRequest(buyer({}, { template: { format: 'form', fields: { price: '$price', phone: 'phone', seller: 'consent.sellers' } } }), { ...post, priceCents: 2000 });
    expect(req.body).toBe('ping_id=p-1&price=20.00&phone=%2B15122345678&seller=Acme+Insurance&seller=Bolt+Auto');
  });

  it('xml without a field map sends lead id, token, price, every field and the consent', () => {
    const req = buildPostRequest(buyer({}, { template: { format: 'xml', root: 'Lead' } }), { ...post, lead: { state: 'TX' }, consent: { text: 'ok', captured_at: 'now' } });
    expect(req.body).toBe(
      '<?xml version="1.0" encoding="UTF-8"?><Lead><ping_id>p-1</ping_id><lead_id>lead-1</lead_id><token>tok-9</token><price>23.50</price>' +
        '<state>TX</state><consent><text>ok</text><captured_at>now</captured_at></consent></Lead>',
    );
  });

  it('uses the post endpoint auth, not the ping one', () => {
    const req = buildPostRequest(buyer({ auth: { type: 'bearer', token: 'ping-key' } }, { auth: { type: 'bearer', token: 'post-key' } }), post);
    expect(req.headers.authorization).toBe('Bearer post-key');
  });
});

describe('template problems', () => {
  it('reports unknown sources, post-only sources in pings and invalid XML names', () => {
    const problems = templateProblems({ format: 'xml', fields: { a: '$nope', b: '$price', c: 'consent.text', 'bad name': 'state' } }, 'ping');
    expect(problems.map((p) => p.field)).toEqual(['fields.a', 'fields.b', 'fields.c', 'fields.bad name']);
  });

  it('finds nothing wrong with a sound post template', () => {
    expect(templateProblems({ format: 'xml', root: 'Lead', fields: { Price: '$price', Phone: 'phone', Tcpa: 'consent.text' } }, 'post')).toEqual([]);
  });
});
