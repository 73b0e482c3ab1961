import assert from 'node:assert/strict';
import { test } from 'node:test';

import { customerFromToken, decodeJwtPayload } from '../src/js/jwt.js';
import { makeToken } from './helpers/fake-fetch.mjs';

test('decodes a base64url payload, including non-ASCII text', () => {
  const token = makeToken({ sub: 'customer:+263771234567', phone_number: '+263771234567', name: 'Tinashé ~~??>>' });
  assert.deepEqual(decodeJwtPayload(token), { sub: 'customer:+263771234567', phone_number: '+263771234567', name: 'Tinashé ~~??>>' });
});

test('returns null for anything that is not a JWT with an object payload', () => {
  for (const bad of [null, '', 'abc', 'a.b', 'a.!!!.c', `x.${Buffer.from('[1]').toString('base64url')}.y`, `x.${Buffer.from('not json').toString('base64url')}.y`]) {
    assert.equal(decodeJwtPayload(bad), null, String(bad));
  }
});

test('a customer token gives the phone and expiry', () => {
  const token = makeToken({ role: 'customer', phone_number: '+263771234567', exp: 2000 });
  assert.deepEqual(customerFromToken(token, 1000), { phone: '+263771234567', expiresAt: 2000 });
});

test('expired, business or phoneless tokens give no customer', () => {
  assert.equal(customerFromToken(makeToken({ role: 'customer', phone_number: '+263771234567', exp: 1000 }), 1000), null);
  assert.equal(customerFromToken(makeToken({ role: 'business', phone_number: '+263771234567' }), 0), null);
  assert.equal(customerFromToken(makeToken({ role: 'customer' }), 0), null);
  assert.equal(customerFromToken(null), null);
});
