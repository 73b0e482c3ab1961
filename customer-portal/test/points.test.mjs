import assert from 'node:assert/strict';
import { beforeEach, test } from 'node:test';

import { clearToken, setToken } from '../src/js/api.js';
import { describeTransaction, loadPoints, normaliseTransaction } from '../src/js/sections/points.js';
import { installFakeStorage } from './helpers/fake-dom.mjs';
import { installFakeFetch } from './helpers/fake-fetch.mjs';

const PHONE = '+263771234567';
const ENC = '%2B263771234567';
const tx = (id, points, timestamp, extra = {}) => ({
  id,
  type: 'earn',
  business_id: 1,
  business_name: 'Chikafu Grocers',
  amount_spent: '10.00',
  points,
  reward_description: null,
  timestamp,
  ...extra,
});

beforeEach(() => {
  installFakeStorage();
  clearToken();
  setToken('tok');
});

test('loads total and history, newest first, phone escaped in the path', async () => {
  const calls = installFakeFetch({
    [`GET /customers/points/${ENC}`]: [200, { phone_number: PHONE, total_points: 25, recent_transactions: [] }],
    [`GET /customers/${ENC}/transactions`]: [200, [tx(1, 10, '2026-01-01T10:00:00Z'), tx(2, 15, '2026-02-01T10:00:00Z')]],
  });
  const result = await loadPoints(PHONE);
  assert.equal(result.total, 25);
  assert.deepEqual(result.transactions.map((t) => t.id), [2, 1]);
  assert.equal(calls.length, 2);
});

test('a customer the platform has not seen has 0 points', async () => {
  installFakeFetch({
    [`GET /customers/points/${ENC}`]: [404, { detail: 'Customer not found', error: 'CustomerNotFound' }],
    [`GET /customers/${ENC}/transactions`]: [404, { detail: 'Customer not found', error: 'CustomerNotFound' }],
  });
  assert.deepEqual(await loadPoints(PHONE), { total: 0, transactions: [], historyError: null });
});

test('the total falls back to the sum of the history', async () => {
  installFakeFetch({
    [`GET /customers/points/${ENC}`]: [503, { detail: 'down', error: 'UpstreamUnavailable' }],
    [`GET /customers/${ENC}/transactions`]: [200, { transactions: [tx(1, 40, '2026-01-01T10:00:00Z'), tx(2, -15, '2026-01-02T10:00:00Z', { type: 'redeem' })] }],
  });
  assert.equal((await loadPoints(PHONE)).total, 25);
});

test('a missing service rejects with notDeployed', async () => {
  installFakeFetch({});
  const err = await loadPoints(PHONE).catch((e) => e);
  assert.equal(err.notDeployed, true);
});

test('describes each kind of transaction', () => {
  assert.equal(describeTransaction(normaliseTransaction(tx(1, 10, ''))), 'Earned · spent 10.00');
  assert.equal(
    describeTransaction(normaliseTransaction(tx(1, -50, '', { type: 'redeem', amount_spent: null, reward_description: 'Free bread' }))),
    'Redeemed: Free bread',
  );
  assert.match(describeTransaction(normaliseTransaction(tx(1, 20, '', { type: 'referral_bonus', amount_spent: null }))), /^Referral bonus/);
});
