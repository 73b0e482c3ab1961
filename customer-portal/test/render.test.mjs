/**
 * Data never becomes markup: every render helper is fed a script-bearing string and the
 * result must hold it as text, with no element created from it. The fake DOM throws on any
 * markup assignment, and a scan of the sources forbids the markup APIs outright.
 */
import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { before, test } from 'node:test';

import { h } from '../src/js/dom.js';
import { renderChatMessage } from '../src/js/sections/chat.js';
import { normaliseTransaction, renderTransactionItem } from '../src/js/sections/points.js';
import { recommendationsFromResponse, renderRecommendationItem } from '../src/js/sections/recommendations.js';
import { groupByShop, renderRewardItem, renderShopCard, rewardsFromResponse } from '../src/js/sections/rewards.js';
import { FakeElement, installFakeDom } from './helpers/fake-dom.mjs';

const EVIL = '<img src=x onerror=alert(1)>';

before(installFakeDom);

/** The node holds EVIL only as text, and nothing but the helper's own tags exist. */
function assertInert(el, allowedTags) {
  const texts = [...el.textNodes()].map((t) => t.data);
  assert.ok(texts.includes(EVIL) || texts.some((t) => t.includes(EVIL)), 'the string is kept as text');
  for (const node of el.descendants()) {
    assert.ok(allowedTags.includes(node.tagName), `unexpected <${node.tagName}>`);
    for (const [name] of node.attributes) assert.doesNotMatch(name, /^on/i, 'no event handler attribute');
  }
}

test('a business name with markup is shown as text in the history', () => {
  const item = renderTransactionItem(
    normaliseTransaction({ id: 1, type: 'redeem', business_name: EVIL, amount_spent: null, points: -5, reward_description: EVIL, timestamp: '2026-01-01T00:00:00Z' }),
  );
  assert.equal(item.findByTestId('history-business')[0].textContent, EVIL);
  assert.equal(item.findByTestId('history-points')[0].textContent, '\u22125');
  assertInert(item, ['DIV', 'P', 'TIME']);
});

test('reward fields with markup are shown as text', () => {
  const [reward] = rewardsFromResponse([
    { id: 1, business_name: EVIL, name: EVIL, description: EVIL, points_cost: 100, redeemable: false, points_missing: 60 },
  ]);
  const item = renderRewardItem(reward);
  assert.equal(item.findByTestId('reward-name')[0].textContent, EVIL);
  assert.equal(item.findByTestId('reward-business')[0].textContent, EVIL);
  assert.equal(item.findByTestId('reward-status')[0].textContent, '60 points to go');
  assert.equal(item.getAttribute('data-redeemable'), 'false');
  assertInert(item, ['DIV', 'P', 'PROGRESS']);
});

test('a redeemable reward says so', () => {
  const [reward] = rewardsFromResponse([{ id: 1, business_name: 'B', name: 'Free soda', points_cost: 10, redeemable: true, points_missing: 0 }]);
  const item = renderRewardItem(reward);
  assert.equal(item.getAttribute('data-redeemable'), 'true');
  assert.match(item.findByTestId('reward-status')[0].textContent, /now/);
});

test('recommendation and chat messages with markup are shown as text', () => {
  const [rec] = recommendationsFromResponse({ recommendations: [{ rule: 'near_reward', message: EVIL }, { rule: 'x', message: '  ' }] });
  assertInert(renderRecommendationItem(rec), ['SPAN']);
  const reply = renderChatMessage('assistant', EVIL);
  assert.equal(reply.textContent, EVIL);
  assert.equal(reply.getAttribute('data-testid'), 'chat-reply');
  assert.equal(reply.children.length, 0);
});

test('h() turns string children and the text prop into text nodes', () => {
  const el = h('p', { text: EVIL });
  assert.equal(el.childNodes[0].nodeType, 3);
  const el2 = h('div', {}, EVIL, null, false, ['a', 1]);
  assert.deepEqual(el2.childNodes.map((n) => n.nodeType), [3, 3, 3]);
  assert.equal(el2.textContent, `${EVIL}a1`);
});

test('the fake DOM refuses markup, so a helper using it would fail', () => {
  assert.throws(() => {
    new FakeElement('div').innerHTML = EVIL;
  });
});

async function jsFiles(dir) {
  const out = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await jsFiles(path)));
    else if (entry.name.endsWith('.js')) out.push(path);
  }
  return out;
}

test('no portal module uses a markup API or eval', async () => {
  const files = await jsFiles(new URL('../src/js', import.meta.url).pathname);
  assert.ok(files.length >= 10);
  for (const file of files) {
    const code = (await readFile(file, 'utf8')).replace(/^\s*(\/\/|\*|\/\*\*).*$/gm, '');
    assert.doesNotMatch(code, /innerHTML|outerHTML|insertAdjacentHTML|document\.write|\beval\(|new Function|createContextualFragment/, file);
  }
});

test('a shop card with a marked-up shop and reward name holds them as text', () => {
  const rewards = rewardsFromResponse([{ id: 1, business_id: 3, business_name: EVIL, name: EVIL, description: EVIL, points_cost: 10, redeemable: true, points_missing: 0 }]);
  const card = renderShopCard(groupByShop(rewards, [{ id: 3, name: EVIL }], true)[0]);
  assert.equal(card.findByTestId('shop-name')[0].textContent, EVIL);
  assertInert(card, ['SECTION', 'H3', 'UL', 'LI', 'DIV', 'P']);
});
