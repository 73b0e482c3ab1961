import assert from 'node:assert/strict';
import { test } from 'node:test';

import { normaliseReward, orderRewards, rewardsFromResponse } from '../src/js/sections/rewards.js';

const raw = (id, cost, extra = {}) => ({
  id,
  business_id: 1,
  business_name: 'Mai Rufaro Bakery',
  name: `Reward ${id}`,
  description: '',
  points_cost: cost,
  ...extra,
});

test('maps the guessed API shape in one place', () => {
  assert.deepEqual(normaliseReward(raw(7, '150', { redeemable: true, description: 'A loaf' })), {
    id: 7,
    businessId: 1,
    businessName: 'Mai Rufaro Bakery',
    name: 'Reward 7',
    description: 'A loaf',
    pointsCost: 150,
    redeemable: true,
  });
  assert.equal(rewardsFromResponse({ rewards: [raw(1, 10)] }).length, 1);
  assert.equal(rewardsFromResponse([raw(1, 10), null, 'x']).length, 1);
  assert.deepEqual(rewardsFromResponse({ detail: 'x' }), []);
});

test('redeemable now first, then the closest, with missing points', () => {
  const rewards = rewardsFromResponse([
    raw(1, 500, { redeemable: false }),
    raw(2, 100, { redeemable: true }),
    raw(3, 250, { redeemable: false }),
    raw(4, 50, { redeemable: true }),
  ]);
  const ordered = orderRewards(rewards, 200);
  assert.deepEqual(ordered.map((r) => r.id), [4, 2, 3, 1]);
  assert.deepEqual(ordered.map((r) => r.missing), [0, 0, 50, 300]);
});

test('without the server flag, the total decides', () => {
  const ordered = orderRewards(rewardsFromResponse([raw(1, 300), raw(2, 120), raw(3, 90)]), 100);
  assert.deepEqual(ordered.map((r) => [r.id, r.redeemable, r.missing]), [
    [3, true, 0],
    [2, false, 20],
    [1, false, 200],
  ]);
});

test('an unknown total leaves missing unknown and sorts by cost', () => {
  const ordered = orderRewards(rewardsFromResponse([raw(1, 300), raw(2, 120), raw(3, 90, { redeemable: true })]), null);
  assert.deepEqual(ordered.map((r) => [r.id, r.missing]), [
    [3, 0],
    [2, null],
    [1, null],
  ]);
});
