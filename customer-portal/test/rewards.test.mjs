import assert from 'node:assert/strict';
import { beforeEach, test } from 'node:test';

import { clearToken, setToken } from '../src/js/api.js';
import {
  groupByShop,
  initRewards,
  normaliseReward,
  renderRewardItem,
  renderShopCard,
  rewardsFromResponse,
  rewardsSummary,
  shopsFromHistory,
} from '../src/js/sections/rewards.js';
import { normaliseTransaction } from '../src/js/sections/points.js';
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

const shop = (id) => ({ id, name: `Shop ${id}` });
const at = (businessId, id, cost, missing) =>
  normaliseReward(raw(id, cost, missing, { business_id: businessId, business_name: `Shop ${businessId}` }));

test('my shops come from my history: the most visited first, ties to the most recent', () => {
  const tx = (id, businessId, type = 'earn') =>
    normaliseTransaction({ id, type, business_id: businessId, business_name: `Shop ${businessId}`, points: 5, timestamp: '2026-01-01T00:00:00Z' });
  // Newest first: shop 3 once (latest), shop 2 twice, shop 1 twice (older), a bonus from shop 9.
  const rows = [tx(9, 3), tx(8, 9, 'referral_bonus'), tx(7, 2), tx(6, 1, 'redeem'), tx(5, 2), tx(4, 1)];
  assert.deepEqual(shopsFromHistory(rows), [shop(2), shop(1), shop(3)]);
  assert.deepEqual(shopsFromHistory([]), []);
  assert.deepEqual(shopsFromHistory(undefined), []);
});

test('each shop: what I can get now (three at most), then the next, complete once the next arrived', () => {
  const rows = [at(1, 1, 10, 0), at(2, 2, 20, 0), at(1, 3, 30, 0), at(1, 4, 40, 0), at(1, 5, 50, 0), at(1, 6, 70, 5), at(1, 7, 90, 25)];
  const [one, two] = groupByShop(rows, [shop(1), shop(2)], false);
  assert.deepEqual(one.ready.map((r) => r.id), [1, 3, 4]);
  assert.equal(one.more, 1);
  assert.equal(one.next.id, 6);
  assert.equal(one.known, true);
  assert.deepEqual(two.ready.map((r) => r.id), [2]);
  assert.equal(two.next, null);
  assert.equal(two.known, false); // its next may be on a later page
  assert.equal(groupByShop(rows, [shop(2)], true)[0].known, true);
});

test('the sentence beside the total: rewards now and the next, at my shops', () => {
  const rows = [at(1, 1, 10, 0), at(3, 2, 15, 0), at(1, 3, 30, 0), at(2, 4, 45, 7), at(1, 5, 60, 22)];
  assert.equal(
    rewardsSummary(rows, [shop(1), shop(2)], false),
    'You can get 2 rewards now at your shops. Next: Reward 4 at Shop 2, 7 points to go.',
  );
  assert.equal(rewardsSummary(rows, [shop(2)], false), 'Your next reward: Reward 4 at Shop 2, 7 points to go.');
  assert.equal(rewardsSummary([at(1, 1, 10, 0)], [shop(1)], true), 'You can get 1 reward now at your shops.');
  // No shop yet: the whole catalog; only redeemable ones so far is a floor.
  const ready = Array.from({ length: 100 }, (_, i) => at(1 + (i % 3), i + 1, 10, 0));
  assert.equal(rewardsSummary(ready, [], false), 'You can get 100 or more rewards now.');
  assert.equal(rewardsSummary(ready, [], true), 'You can get 100 rewards now.');
  assert.equal(rewardsSummary([], [], true), '');
});

test('a shop card lists its rewards without repeating the shop\'s name on each', () => {
  installFakeDom();
  const [group] = groupByShop([at(1, 1, 10, 0), at(1, 2, 50, 8)], [shop(1)], false);
  const card = renderShopCard(group);
  assert.equal(card.getAttribute('data-business-id'), '1');
  assert.equal(card.findByTestId('shop-name')[0].textContent, 'Shop 1');
  assert.deepEqual(card.findByTestId('reward-item').map((i) => i.getAttribute('data-redeemable')), ['true', 'false']);
  assert.equal(card.findByTestId('reward-business').length, 0);
  assert.equal(card.findByTestId('reward-status')[1].textContent, '8 points to go');
  const empty = renderShopCard(groupByShop([], [shop(4)], true)[0]);
  assert.equal(empty.findByTestId('shop-empty')[0].textContent, 'No rewards at this shop right now.');
});

/** The section in a fake page, with a paged fake catalog: `row(i)` is the i-th reward (0-based). */
function mountSection(total, row) {
  const calls = installFakeFetch({});
  globalThis.fetch = async (url) => {
    calls.push(url);
    const q = new URL(url, 'http://portal').searchParams;
    const limit = Number(q.get('limit'));
    const offset = Number(q.get('offset') ?? 0);
    const rows = [];
    for (let i = offset; i < Math.min(offset + limit, total); i++) rows.push(row(i));
    return jsonResponse(200, rows);
  };
  const ids = ['shop-rewards-list', 'rewards-heading', 'rewards-status', 'rewards-summary', 'rewards-see-all',
    'rewards-all', 'rewards-all-heading', 'rewards-list', 'rewards-all-status', 'rewards-more'];
  const els = Object.fromEntries(ids.map((id) => [id, new FakeElement('div')]));
  globalThis.document = { ...fakeDocument, querySelector: (sel) => els[/data-testid="([^"]+)"/.exec(sel)[1]] ?? null };
  const section = initRewards();
  const click = (id) => Promise.all(els[id].listeners.click.map((fn) => fn()));
  return { calls, els, section, click };
}

// 230 rewards over 10 shops (business i % 10 + 1), cheapest first; the first 120 redeemable.
const catalog = (i) => raw(i + 1, 10 + i, i < 120 ? 0 : i - 119, { business_id: (i % 10) + 1, business_name: `Shop ${(i % 10) + 1}` });

test('my shops first: pages are read until each has its next; "See all" pages through the rest', async () => {
  const { calls, els, section, click } = mountSection(230, catalog);
  await section.load(PHONE, undefined, Promise.resolve([shop(1), shop(2)]));
  // Page 1 is all redeemable: the shops' next rewards (ids 121, 122) are on page 2.
  assert.deepEqual(calls, [`${REWARDS}?limit=100`, `${REWARDS}?limit=100&offset=100`]);
  const cards = els['shop-rewards-list'].children;
  assert.deepEqual(cards.map((c) => c.getAttribute('data-business-id')), ['1', '2']);
  assert.deepEqual(cards[0].findByTestId('reward-name').map((n) => n.textContent), ['Reward 1', 'Reward 11', 'Reward 21', 'Reward 121']);
  assert.match(cards[0].findByTestId('shop-more-ready')[0].textContent, /9 more you can get now/);
  assert.equal(
    els['rewards-summary'].textContent,
    'You can get 24 rewards now at your shops. Next: Reward 121 at Shop 1, 1 point to go.',
  );
  assert.equal(els['rewards-see-all'].hidden, false);
  assert.equal(els['rewards-all'].hidden, true);

  await click('rewards-see-all');
  assert.equal(els['rewards-see-all'].getAttribute('aria-expanded'), 'true');
  assert.equal(els['rewards-all'].hidden, false);
  assert.equal(els['rewards-all-heading'].focused, true);
  const list = els['rewards-list'];
  assert.deepEqual(list.children.map((i) => i.findByTestId('reward-name')[0].textContent).slice(0, 3), ['Reward 3', 'Reward 4', 'Reward 5']); // 1 and 2 are on the cards
  assert.equal(list.children.length, 10);
  assert.equal(els['rewards-more'].hidden, false);
  while (!els['rewards-more'].hidden) await click('rewards-more');
  assert.equal(list.children.length, 230 - 8); // everything but the 8 on the two cards
  assert.deepEqual(calls.slice(2), [`${REWARDS}?limit=100&offset=200`]);
  assert.equal(els['rewards-all-status'].textContent, 'That is every reward on offer.');

  section.reset();
  assert.equal(list.children.length, 0);
  assert.equal(els['shop-rewards-list'].children.length, 0);
  assert.equal(els['rewards-summary'].hidden, true);
  assert.equal(els['rewards-all'].hidden, true);
});

test('a huge catalog is read no further than five pages for my shops', async () => {
  const { calls, els, section } = mountSection(10_000, (i) => raw(i + 1, 10, 0, { business_id: 1 }));
  await section.load(PHONE, undefined, Promise.resolve([shop(2)]));
  assert.equal(calls.length, 5);
  assert.match(els['shop-rewards-list'].children[0].findByTestId('shop-empty')[0].textContent, /See all rewards/);
});

test('without a shop of mine yet the whole catalog shows, open, ten at a time', async () => {
  const { calls, els, section, click } = mountSection(25, catalog);
  await section.load(PHONE, undefined, Promise.resolve([]));
  assert.deepEqual(calls, [`${REWARDS}?limit=100`]);
  assert.equal(els['rewards-heading'].textContent, 'Rewards at Mubayiro shops');
  assert.equal(els['rewards-all'].hidden, false);
  assert.equal(els['rewards-see-all'].hidden, true);
  assert.equal(els['rewards-list'].children.length, 10);
  assert.match(els['rewards-status'].textContent, /its rewards will show here first/);
  assert.equal(els['rewards-summary'].textContent, 'You can get 25 rewards now.');
  await click('rewards-more');
  await click('rewards-more');
  assert.equal(els['rewards-list'].children.length, 25);
  assert.equal(els['rewards-more'].hidden, true);
});

test('no rewards at all, or the service down, is said in words', async () => {
  let mounted = mountSection(0, catalog);
  await mounted.section.load(PHONE, undefined, Promise.resolve([shop(1)]));
  assert.equal(mounted.els['rewards-status'].textContent, 'No rewards are on offer right now. Check again soon.');
  assert.equal(mounted.els['rewards-see-all'].hidden, true);

  mounted = mountSection(0, catalog);
  globalThis.fetch = async () => jsonResponse(503, { detail: 'down', error: 'ServiceUnavailable' });
  await mounted.section.load(PHONE, undefined, Promise.resolve([shop(1)]));
  assert.equal(mounted.els['rewards-status'].getAttribute('data-kind'), 'error');
  assert.equal(mounted.els['rewards-status'].getAttribute('role'), 'alert');
  assert.match(mounted.els['rewards-status'].textContent, /not available right now/);
});

test('a failed "Show more" says why under the list, and the same button tries again', async () => {
  let fail = true;
  const { calls, els, section, click } = mountSection(230, catalog);
  const paged = globalThis.fetch;
  globalThis.fetch = async (url, init) => {
    if (url.includes('offset=200') && fail) {
      fail = false;
      calls.push(url);
      return jsonResponse(503, { detail: 'down', error: 'ServiceUnavailable' });
    }
    return paged(url, init);
  };
  await section.load(PHONE, undefined, Promise.resolve([shop(1), shop(2)]));
  await click('rewards-see-all');
  while (els['rewards-all-status'].getAttribute('data-kind') !== 'error') await click('rewards-more');
  assert.equal(els['rewards-list'].children.length, 190); // all loaded rows but the cards'
  assert.equal(els['rewards-all-status'].getAttribute('role'), 'alert');
  assert.equal(els['rewards-more'].hidden, false);
  while (!els['rewards-more'].hidden) await click('rewards-more');
  assert.equal(els['rewards-list'].children.length, 222);
  assert.equal(els['rewards-all-status'].textContent, 'That is every reward on offer.');
});

test('with my shops\' rewards on their cards and nothing else, "See all" is not offered', async () => {
  const { els, section } = mountSection(2, (i) => raw(i + 1, 10 + i, i, { business_id: 1 }));
  await section.load(PHONE, undefined, Promise.resolve([shop(1)]));
  assert.equal(els['shop-rewards-list'].children[0].findByTestId('reward-item').length, 2);
  assert.equal(els['rewards-see-all'].hidden, true);
  assert.equal(els['rewards-status'].hidden, true);
});
