import assert from 'node:assert/strict';
import { beforeEach, describe, test } from 'node:test';

import { ApiError, TOKEN_KEY, UNAVAILABLE_MESSAGE, clearToken, describeError, getToken, onUnauthorized, request, setToken } from '../src/js/api.js';
import { installFakeStorage } from './helpers/fake-dom.mjs';
import { installFakeFetch } from './helpers/fake-fetch.mjs';

describe('describeError', () => {
  test('lists 422 field errors with readable field names', () => {
    const body = {
      detail: 'phone_number: Not a valid phone number',
      error: 'ValidationError',
      errors: [{ field: 'phone_number', message: 'Not a valid phone number', type: 'value_error' }],
    };
    assert.equal(describeError(422, body), 'Phone number: Not a valid phone number.');
  });

  test('reads FastAPI default 422 detail lists too', () => {
    const body = { detail: [{ loc: ['body', 'friend_phone_number'], msg: 'Field required', type: 'missing' }] };
    assert.equal(describeError(422, body), "Your friend's phone number: Field required.");
  });

  test('uses a string detail as a sentence', () => {
    assert.equal(describeError(409, { detail: 'Referral already completed', error: 'Conflict' }), 'Referral already completed.');
  });

  test('caller wording wins for its statuses', () => {
    assert.equal(describeError(401, { detail: 'Invalid code', error: 'Unauthorized' }, { 401: 'Wrong code.' }), 'Wrong code.');
  });

  test('no answer and 502/503/504 are all "service unavailable"', () => {
    for (const status of [0, 502, 503, 504]) {
      assert.equal(describeError(status, { detail: 'upstream exploded', error: 'UpstreamError' }), UNAVAILABLE_MESSAGE);
    }
  });

  test('never shows raw JSON or HTML: falls back to a sentence per status', () => {
    assert.equal(describeError(429, { detail: { nested: true } }), 'Too many tries. Please wait a little and try again.');
    assert.equal(describeError(500, null), 'Something went wrong (error 500). Please try again.');
    assert.doesNotMatch(describeError(418, { detail: ['x'] }), /[{}[\]]/);
  });
});

describe('ApiError', () => {
  test('classifies a missing service apart from a domain 404', () => {
    assert.equal(new ApiError(404, '', { error: 'NotFound' }).notDeployed, true);
    assert.equal(new ApiError(404, '').notDeployed, true);
    assert.equal(new ApiError(502, '').notDeployed, true);
    assert.equal(new ApiError(404, '', { error: 'CustomerNotFound' }).notDeployed, false);
    assert.equal(new ApiError(503, '').unavailable, true);
    assert.equal(new ApiError(422, '').unavailable, false);
  });
});

describe('request', () => {
  beforeEach(() => {
    installFakeStorage();
    clearToken();
    onUnauthorized(null);
  });

  test('sends the stored token and JSON to a same-origin path', async () => {
    setToken('tok');
    assert.equal(globalThis.sessionStorage.getItem(TOKEN_KEY), 'tok');
    const calls = installFakeFetch({ 'POST /referrals/invite': [202, { status: 'sent' }] });
    const data = await request('/referrals/invite', { method: 'POST', body: { friend_phone_number: '0771234567' } });
    assert.deepEqual(data, { status: 'sent' });
    assert.equal(calls[0].headers.Authorization, 'Bearer tok');
    assert.equal(calls[0].headers['Content-Type'], 'application/json');
    assert.deepEqual(calls[0].body, { friend_phone_number: '0771234567' });
    assert.equal(calls[0].init.credentials, 'same-origin');
  });

  test('refuses absolute and protocol-relative URLs', async () => {
    installFakeFetch({});
    await assert.rejects(request('https://evil.example/x'), TypeError);
    await assert.rejects(request('//evil.example/x'), TypeError);
  });

  test('an empty 202 body is null', async () => {
    installFakeFetch({ 'POST /auth/customer/otp/request': [202, undefined] });
    assert.equal(await request('/auth/customer/otp/request', { method: 'POST', body: {}, auth: false }), null);
  });

  test('the error shape becomes an ApiError with a readable message', async () => {
    installFakeFetch({
      'POST /auth/customer/otp/request': [
        422,
        { detail: 'x', error: 'ValidationError', errors: [{ field: 'phone_number', message: 'Not a valid phone number', type: 'value_error' }] },
      ],
    });
    const err = await request('/auth/customer/otp/request', { method: 'POST', body: {}, auth: false }).catch((e) => e);
    assert.ok(err instanceof ApiError);
    assert.equal(err.status, 422);
    assert.equal(err.error, 'ValidationError');
    assert.equal(err.message, 'Phone number: Not a valid phone number.');
    assert.deepEqual(err.fields, [{ field: 'phone_number', message: 'Not a valid phone number' }]);
  });

  test('a network failure is "service unavailable" with status 0', async () => {
    installFakeFetch({ 'GET /customers/x/rewards': new TypeError('Failed to fetch') });
    const err = await request('/customers/x/rewards').catch((e) => e);
    assert.equal(err.status, 0);
    assert.equal(err.unavailable, true);
    assert.equal(err.message, UNAVAILABLE_MESSAGE);
  });

  test('an HTML 502 from the gateway is "service unavailable"', async () => {
    installFakeFetch({ 'GET /chat/messages': () => new Response('<html>Bad gateway</html>', { status: 502 }) });
    const err = await request('/chat/messages').catch((e) => e);
    assert.equal(err.message, UNAVAILABLE_MESSAGE);
    assert.equal(err.notDeployed, true);
  });

  test('401 on an authenticated call drops the token and signs out', async () => {
    setToken('old');
    let signedOut = 0;
    onUnauthorized(() => signedOut++);
    installFakeFetch({ 'GET /customers/points/x': [401, { detail: 'Token expired', error: 'Unauthorized' }] });
    await assert.rejects(request('/customers/points/x'), ApiError);
    assert.equal(getToken(), null);
    assert.equal(signedOut, 1);
  });

  test('401 on a sign-in call (auth: false) is just an error', async () => {
    setToken('keep');
    let signedOut = 0;
    onUnauthorized(() => signedOut++);
    installFakeFetch({ 'POST /auth/customer/otp/verify': [401, { detail: 'Invalid code', error: 'InvalidCode' }] });
    const err = await request('/auth/customer/otp/verify', { method: 'POST', body: {}, auth: false, messages: { 401: 'Wrong code.' } }).catch((e) => e);
    assert.equal(err.message, 'Wrong code.');
    assert.equal(getToken(), 'keep');
    assert.equal(signedOut, 0);
  });

  test('reads Retry-After on 429', async () => {
    installFakeFetch({ 'POST /referrals/invite': [429, { detail: 'Slow down', error: 'TooManyRequests' }, { 'Retry-After': '120' }] });
    const err = await request('/referrals/invite', { method: 'POST', body: {} }).catch((e) => e);
    assert.equal(err.status, 429);
    assert.equal(err.retryAfter, 120);
  });

  test('an aborted call rejects with AbortError, not an ApiError', async () => {
    globalThis.fetch = (_url, init) =>
      new Promise((_, reject) => init.signal.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError'))));
    const controller = new AbortController();
    const pending = request('/customers/x/rewards', { signal: controller.signal });
    controller.abort();
    const err = await pending.catch((e) => e);
    assert.equal(err.name, 'AbortError');
  });
});
