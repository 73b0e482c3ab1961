import assert from 'node:assert/strict';
import { beforeEach, test } from 'node:test';

import { clearToken, setToken } from '../src/js/api.js';
import { initRewards, normaliseReward, renderRewardItem, rewardsFromResponse, rewardsSummary } from '../src/js/sections/rewards.js';
import { fakeDocument, FakeElement, installFakeDom, installFakeStorage } from './helpers/fake-dom.mjs';
import { installFakeFetch, jsonResponse } from './helpers/fake-fetch.mjs';

const PHONE = '+263771234567';
const REWARDS = '/customers/%2B263771234567/rewards';

const raw = (id, cost, missing, extra = {}) => ({
  id,
  business_id: 1,
  business_name: 'Mai Rufaro Bakery',
  name: `Reward ${id}`,
  description: '',
  points_cost: cost,
  redeemable: missing === 0,
  points_missing: missing,
  ...extra,
});

beforeEach(() => {
  installFakeStorage();
  clearToken();
  setToken('tok');
});

test('maps the API shape in one place, with the server\'s points_missing', () => {
  assert.deepEqual(normaliseReward(raw(7, 150, 40, { description: 'A loaf' })), {
    id: 7,
    businessId: 1,
    businessName: 'Mai Rufaro Bakery',
    name: 'Reward 7',
    description: 'A loaf',
    pointsCost: 150,
    redeemable: false,
    missing: 40,
  });
  assert.equal(normaliseReward(raw(8, 10, 0)).redeemable, true);
});

test('keeps the server order and is a plain list only', () => {
  const rewards = rewardsFromResponse([raw(4, 50, 0), raw(2, 100, 0), raw(3, 250, 50), raw(1, 500, 300)]);
  assert.deepEqual(rewards.map((r) => [r.id, r.missing]), [[4, 0], [2, 0], [3, 50], [1, 300]]);
  assert.deepEqual(rewardsFromResponse({ rewards: [raw(1, 10, 0)] }), []);
  assert.deepEqual(rewardsFromResponse(null), []);
});

test('the progress bar shows the points already there, from points_missing', () => {
  installFakeDom();
  const card = renderRewardItem(normaliseReward(raw(1, 1190, 7)));
  assert.equal(card.findByTestId('reward-status')[0].textContent, '7 points to go');
  const progress = [...card.descendants()].find((e) => e.tagName === 'PROGRESS');
  assert.equal(progress.getAttribute('max'), '1190');
  assert.equal(progress.getAttribute('value'), '1183');
  assert.match(progress.className, /bg-brand-600/);
  const ready = [...renderRewardItem(normaliseReward(raw(2, 10, 0))).descendants()];
  assert.equal(ready.some((e) => e.tagName === 'PROGRESS'), false);
});

test('the ready count is exact once a non-redeemable reward or the last page arrived', () => {
  const all = (n, missing) => Array.from({ length: n }, (_, i) => normaliseReward(raw(i + 1, 10, missing)));
  assert.equal(rewardsSummary(all(100, 0), false), '100 or more ready for you now.');
  assert.equal(rewardsSummary(all(100, 0), true), '100 ready for you now.');
  assert.equal(rewardsSummary([...all(3, 0), ...all(2, 5)], false), '3 ready for you now.');
  assert.equal(rewardsSummary(all(2, 5), false), '');
  assert.match(rewardsSummary([], true), /No rewards/);
});

test('asks for 100 rewards, and "Show more" the next page until a short one', async () => {
  const total = 230;
  const calls = installFakeFetch({});
  globalThis.fetch = async (url) => {
    calls.push(url);
    const q = new URL(url, 'http://portal').searchParams;
    const limit = Number(q.get('limit'));
    const offset = Number(q.get('offset') ?? 0);
    const rows = [];
    for (let i = offset; i < Math.min(offset + limit, total); i++) rows.push(raw(i + 1, 10 + i, i < 120 ? 0 : i - 100));
    return jsonResponse(200, rows);
  };
  const els = Object.fromEntries(['rewards-list', 'rewards-more', 'rewards-status'].map((id) => [id, new FakeElement('div')]));
  globalThis.document = { ...fakeDocument, querySelector: (sel) => els[/data-testid="([^"]+)"/.exec(sel)[1]] ?? null };
  const section = initRewards();
  const more = els['rewards-more'];
  const click = () => Promise.all(more.listeners.click.map((fn) => fn()));

  await section.load(PHONE);
  assert.deepEqual(calls, [`${REWARDS}?limit=100`]);
  assert.equal(els['rewards-list'].children.length, 100);
  assert.equal(els['rewards-status'].textContent, '100 or more ready for you now.');
  assert.equal(more.hidden, false);

  await click();
  assert.deepEqual(calls.slice(1), [`${REWARDS}?limit=100&offset=100`]);
  assert.equal(els['rewards-list'].children.length, 200);
  assert.equal(els['rewards-status'].textContent, '120 ready for you now.');
  assert.equal(more.hidden, false);

  await click();
  assert.deepEqual(calls.slice(2), [`${REWARDS}?limit=100&offset=200`]);
  assert.equal(els['rewards-list'].children.length, 230);
  assert.equal(more.hidden, true);
  const items = els['rewards-list'].children;
  assert.equal(items[0].getAttribute('data-redeemable'), 'true');
  assert.equal(items[229].findByTestId('reward-status')[0].textContent, '129 points to go');

  section.reset();
  assert.equal(els['rewards-list'].children.length, 0);
  assert.equal(more.hidden, true);
});
