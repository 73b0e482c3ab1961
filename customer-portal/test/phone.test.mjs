import assert from 'node:assert/strict';
import { test } from 'node:test';

import { checkPhone, cleanPhone, formatPhone, samePhone, toE164Guess } from '../src/js/phone.js';

test('accepts local, international and spaced forms', () => {
  for (const raw of ['0771234567', '+263771234567', '+263 77 123 4567', '077 123 4567', ' 077-123-4567 ', '00263771234567', '771234567']) {
    assert.equal(checkPhone(raw).ok, true, raw);
  }
  assert.equal(checkPhone('+263 77 123 4567').value, '+263771234567');
});

test('rejects empty, short and non-numeric input with a message', () => {
  assert.equal(checkPhone('').message, 'Enter your phone number.');
  for (const raw of ['12345', 'abc', '+26377abc4567', '++263771234567', '0'.repeat(20)]) {
    const result = checkPhone(raw);
    assert.equal(result.ok, false, raw);
    assert.match(result.message, /077 123 4567/);
  }
});

test('cleans separators but keeps the plus', () => {
  assert.equal(cleanPhone(' +263 (77) 123-4567 '), '+263771234567');
});

test('guesses E.164 for local Zimbabwean forms', () => {
  assert.equal(toE164Guess('0771234567'), '+263771234567');
  assert.equal(toE164Guess('771234567'), '+263771234567');
  assert.equal(toE164Guess('263771234567'), '+263771234567');
  assert.equal(toE164Guess('00263771234567'), '+263771234567');
  assert.equal(toE164Guess('+27821234567'), '+27821234567');
  assert.equal(samePhone('077 123 4567', '+263771234567'), true);
  assert.equal(samePhone('0771234567', '0771234568'), false);
});

test('formats Zimbabwean numbers for display, leaves others alone', () => {
  assert.equal(formatPhone('+263771234567'), '+263 77 123 4567');
  assert.equal(formatPhone('+27821234567'), '+27821234567');
  assert.equal(formatPhone(undefined), '');
});
