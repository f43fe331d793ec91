import { describe, expect, it } from 'vitest';
import { parseBidResponse, parsePostResponse } from '../../src/engine/deliver/parse-response.js';
import { readPath, responseFormat } from '../../src/engine/deliver/read-path.js';
import { compileBuyer } from '../../src/engine/workspace/compile.js';
import type { DeliveryTemplate } from '../../src/shared/domain.js';

const native = compileBuyer({ id: 'acme', name: 'Acme', ping: { url: 'http://b.test/ping' }, post: { url: 'http://b.test/post' } });

function templated(response: DeliveryTemplate['response'], format: DeliveryTemplate['format'] = 'json') {
  return compileBuyer({
    id: 'harbor',
    name: 'Harbor',
    ping: { url: 'http://b.test/ping', template: { format, response } },
    post: { url: 'http://b.test/post', template: { format, response } },
  });
}

const bid = (body: string, status = 200, type: string | undefined = 'application/json') => parseBidResponse(native, status, type, body);
const postAnswer = (body: string, status = 200) => parsePostResponse(native, status, 'application/json', body);

describe('native bid answers', () => {
  it('a positive bid becomes cents with its token', () => {
    expect(bid('{"bid": 23.5, "token": "t-1"}')).toEqual({ outcome: 'BID', bidCents: 2350, token: 't-1' });
  });

  it('cuts a sub-cent bid to the cent, never up, and accepts a numeric string', () => {
    expect(bid('{"bid": 12.346}')).toEqual({ outcome: 'BID', bidCents: 1234, token: null });
    expect(bid('{"bid": 99.999}')).toEqual({ outcome: 'BID', bidCents: 9999, token: null });
    expect(bid('{"bid": "$99.999"}')).toEqual({ outcome: 'BID', bidCents: 9999, token: null });
    expect(bid('{"bid": "19.90"}')).toEqual({ outcome: 'BID', bidCents: 1990, token: null });
  });

  it.each([
    ['missing bid', '{}'],
    ['null bid', '{"bid": null}'],
    ['zero bid', '{"bid": 0}'],
    ['negative bid', '{"bid": -3}'],
    ['sub-cent bid', '{"bid": 0.001}'],
  ])('%s is NO_BID', (_name, body) => {
    expect(bid(body).outcome).toBe('NO_BID');
  });

  it('decline is NO_BID even with a bid, and carries the buyer reason', () => {
    expect(bid('{"decline": true, "bid": 30, "reason": "out of state"}')).toEqual({ outcome: 'NO_BID', reason: 'declined: out of state' });
  });

  it('204 is NO_BID and so is an empty 200', () => {
    expect(bid('', 204, undefined)).toEqual({ outcome: 'NO_BID', reason: 'no content' });
    expect(bid('  ', 200)).toEqual({ outcome: 'NO_BID', reason: 'empty response' });
  });

  it('non-2xx is HTTP_ERROR with the status', () => {
    expect(bid('{"bid": 50}', 500)).toEqual({ outcome: 'HTTP_ERROR', reason: 'HTTP 500' });
    expect(bid('', 302)).toEqual({ outcome: 'HTTP_ERROR', reason: 'HTTP 302' });
  });

  it.each([
    ['non-JSON', '<html>oops</html>', 'invalid JSON'],
    ['a JSON array', '[23.5]', 'not a JSON object'],
    ['a bare number', '23.5', 'not a JSON object'],
    ['a non-numeric bid', '{"bid": "lots"}', 'bid is not a number'],
    ['a boolean bid', '{"bid": true}', 'bid is not a number'],
    ['an object bid', '{"bid": {"amount": 3}}', 'bid is not a number'],
  ])('%s is BAD_RESPONSE', (_name, body, reason) => {
    expect(bid(body)).toEqual({ outcome: 'BAD_RESPONSE', reason });
  });

  it('a bid above $100,000 is BAD_RESPONSE, and $100,000 itself is a bid', () => {
    expect(bid('{"bid": 100000.01}').outcome).toBe('BAD_RESPONSE');
    expect(bid('{"bid": 100000}')).toEqual({ outcome: 'BID', bidCents: 10_000_000, token: null });
  });

  it('native answers are read as JSON whatever the content type says', () => {
    expect(bid('{"bid": 7}', 200, 'text/plain')).toEqual({ outcome: 'BID', bidCents: 700, token: null });
  });
});

describe('templated bid answers', () => {
  it('json reads the bid and token at dotted paths', () => {
    const b = templated({ bidPath: 'result.price', tokenPath: 'result.lock.id' });
    expect(parseBidResponse(b, 200, 'application/json', '{"result":{"price":31,"lock":{"id":99}}}')).toEqual({ outcome: 'BID', bidCents: 3100, token: '99' });
  });

  it('xml reads through the root element, and an attribute with @', () => {
    const b = templated({ format: 'xml', bidPath: 'PingResponse.Bid', tokenPath: 'PingResponse.@token' }, 'xml');
    const body = '<?xml version="1.0"?><PingResponse token="a&amp;b"><Bid currency="USD">42.10</Bid></PingResponse>';
    expect(parseBidResponse(b, 200, 'text/xml', body)).toEqual({ outcome: 'BID', bidCents: 4210, token: 'a&b' });
  });

  it('xml that does not parse is BAD_RESPONSE', () => {
    const b = templated({ format: 'xml', bidPath: 'r.bid' }, 'xml');
    expect(parseBidResponse(b, 200, 'application/xml', '<r><bid>3</r>')).toEqual({ outcome: 'BAD_RESPONSE', reason: 'invalid XML' });
  });

  it('form reads named values', () => {
    const b = templated({ format: 'form', bidPath: 'amount', tokenPath: 'key' }, 'form');
    expect(parseBidResponse(b, 200, undefined, 'amount=18.25&key=k1')).toEqual({ outcome: 'BID', bidCents: 1825, token: 'k1' });
  });

  it('text takes the whole body as the bid', () => {
    const b = templated({ format: 'text' });
    expect(parseBidResponse(b, 200, 'text/plain', ' 12.00\n')).toEqual({ outcome: 'BID', bidCents: 1200, token: null });
    expect(parseBidResponse(b, 200, 'text/plain', 'nope').outcome).toBe('BAD_RESPONSE');
  });

  it('without an explicit format the content type decides, not the request format', () => {
    const b = templated({ bidPath: 'bid' }, 'form');
    expect(parseBidResponse(b, 200, 'application/json; charset=utf-8', '{"bid": 5}')).toEqual({ outcome: 'BID', bidCents: 500, token: null });
  });

  it('a missing bid with a reason is NO_BID with that reason', () => {
    const b = templated({ bidPath: 'r.bid', reasonPath: 'r.why' });
    expect(parseBidResponse(b, 200, 'application/json', '{"r":{"why":"cap reached"}}')).toEqual({ outcome: 'NO_BID', reason: 'no bid: cap reached' });
  });
});

describe('native post answers', () => {
  it('accepted with a buyer reference', () => {
    expect(postAnswer('{"accepted": true, "buyer_ref": "B-77"}')).toEqual({ outcome: 'ACCEPTED', buyerRef: 'B-77' });
    expect(postAnswer('{"accepted": true}')).toEqual({ outcome: 'ACCEPTED', buyerRef: null });
  });

  it('rejected with the buyer reason', () => {
    expect(postAnswer('{"accepted": false, "reason": "duplicate"}')).toEqual({ outcome: 'POST_REJECTED', reason: 'duplicate' });
    expect(postAnswer('{"accepted": false}')).toEqual({ outcome: 'POST_REJECTED', reason: 'not accepted (false)' });
  });

  it('a 4xx is an explicit rejection, even with an accepting body', () => {
    expect(postAnswer('{"accepted": true}', 409)).toEqual({ outcome: 'POST_REJECTED', reason: 'HTTP 409' });
    expect(postAnswer('', 400)).toEqual({ outcome: 'POST_REJECTED', reason: 'HTTP 400' });
  });

  // DESIGN.md §3: the buyer may have kept the lead, so these are not rejections.
  it('a 5xx or another non-2xx status is an unknown outcome, even with a rejecting body', () => {
    expect(postAnswer('{"accepted": false}', 503)).toEqual({ outcome: 'POST_ERROR', reason: 'HTTP 503' });
    expect(postAnswer('', 302)).toEqual({ outcome: 'POST_ERROR', reason: 'HTTP 302' });
  });

  it.each([['<html>'], [''], ['{}'], ['[true]']])('an unreadable answer %j is an unknown outcome, not a rejection', (body) => {
    expect(postAnswer(body).outcome).toBe('POST_ERROR');
  });
});

describe('templated post answers', () => {
  it('xml with an explicit accepted value', () => {
    const b = templated({ format: 'xml', acceptedPath: 'R.Status', acceptedValue: 'Accepted', reasonPath: 'R.Message', buyerRefPath: 'R.Ref' }, 'xml');
    expect(parsePostResponse(b, 200, 'text/xml', '<R><Status>accepted</Status><Ref>9</Ref></R>')).toEqual({ outcome: 'ACCEPTED', buyerRef: '9' });
    expect(parsePostResponse(b, 200, 'text/xml', '<R><Status>Rejected</Status><Message>dup</Message></R>')).toEqual({ outcome: 'POST_REJECTED', reason: 'dup' });
  });

  it.each([['true'], ['"accepted"'], ['"SUCCESS"'], ['"ok"'], ['1'], ['"1"']])('the default accepted values include %s', (value) => {
    const b = templated({ acceptedPath: 'result' });
    expect(parsePostResponse(b, 200, 'application/json', `{"result": ${value}}`).outcome).toBe('ACCEPTED');
  });

  it('any other value is a rejection naming it', () => {
    const b = templated({ acceptedPath: 'result' });
    expect(parsePostResponse(b, 200, 'application/json', '{"result": "pending"}')).toEqual({ outcome: 'POST_REJECTED', reason: 'not accepted (pending)' });
  });

  it('form and text answers', () => {
    const form = templated({ format: 'form', acceptedPath: 'status', buyerRefPath: 'id' }, 'form');
    expect(parsePostResponse(form, 200, undefined, 'status=success&id=x1')).toEqual({ outcome: 'ACCEPTED', buyerRef: 'x1' });
    const text = templated({ format: 'text', acceptedValue: 'OK' });
    expect(parsePostResponse(text, 200, 'text/plain', 'ok\n')).toEqual({ outcome: 'ACCEPTED', buyerRef: null });
    expect(parsePostResponse(text, 200, 'text/plain', 'ERROR: duplicate')).toEqual({ outcome: 'POST_REJECTED', reason: 'not accepted (ERROR: duplicate)' });
  });
});

describe('reading paths', () => {
  it('walks objects and arrays, and is undefined past a scalar', () => {
    const v = { a: { b: [{ c: 1 }, { c: 2 }] } };
    expect(readPath(v, 'a.b.1.c')).toBe(2);
    expect(readPath(v, 'a.b.0.c.d')).toBeUndefined();
    expect(readPath(v, '')).toBe(v);
  });

  it('sniffs the format from the first character when the content type says nothing useful', () => {
    expect(responseFormat(undefined, 'text/plain', ' {"a":1}')).toBe('json');
    expect(responseFormat(undefined, undefined, '<a/>')).toBe('xml');
    expect(responseFormat(undefined, 'application/octet-stream', '12')).toBe('text');
    expect(responseFormat('form', 'application/json', '{}')).toBe('form');
  });
});
