import assert from 'node:assert/strict';
import { beforeEach, test } from 'node:test';

import { clearToken, setToken } from '../src/js/api.js';
import { describeTransaction, initPoints, loadPoints, normaliseTransaction, TOTAL_UNAVAILABLE } from '../src/js/sections/points.js';
import { fakeDocument, FakeElement, installFakeStorage } from './helpers/fake-dom.mjs';
import { installFakeFetch, jsonResponse } from './helpers/fake-fetch.mjs';

const PHONE = '+263771234567';
const ENC = '%2B263771234567';
const POINTS = `GET /customers/points/${ENC}`;
const HISTORY = `/customers/${ENC}/transactions`;
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

/** A history of `count` rows (newest first, ids count..1) served a page at a time. */
function pagedHistory(count) {
  return (call) => {
    const q = new URL(call.url, 'http://portal').searchParams;
    const limit = Number(q.get('limit') ?? 50);
    const offset = Number(q.get('offset') ?? 0);
    const rows = [];
    for (let i = offset; i < Math.min(offset + limit, count); i++) rows.push(tx(count - i, 1, '2026-01-01T10:00:00Z'));
    return jsonResponse(200, rows);
  };
}

/** Install fake fetch with the history route answering any paging query. */
function installRoutes(routes, history) {
  const calls = installFakeFetch(routes);
  const fake = globalThis.fetch;
  globalThis.fetch = async (url, init) => {
    if (history && url.startsWith(`${HISTORY}?`)) {
      calls.push({ url, method: init?.method ?? 'GET' });
      return history({ url });
    }
    return fake(url, init);
  };
  return calls;
}

beforeEach(() => {
  installFakeStorage();
  clearToken();
  setToken('tok');
});

test('loads the total and the first history page, in the server order, phone escaped', async () => {
  const calls = installFakeFetch({
    [POINTS]: [200, { phone_number: PHONE, total_points: 25, recent_transactions: [] }],
    [`GET ${HISTORY}?limit=50`]: [200, [tx(2, 15, '2026-02-01T10:00:00Z'), tx(1, 10, '2026-01-01T10:00:00Z')]],
  });
  const result = await loadPoints(PHONE);
  assert.equal(result.total, 25);
  assert.deepEqual(result.transactions.map((t) => t.id), [2, 1]);
  assert.equal(result.history.hasMore, false); // a short page is the last
  assert.deepEqual(calls.map((c) => c.url).sort(), [`/customers/points/${ENC}`, `${HISTORY}?limit=50`].sort());
});

test('the total comes only from the points call: when it fails the total is unknown, not a sum', async () => {
  installFakeFetch({
    [POINTS]: [503, { detail: 'down', error: 'UpstreamUnavailable' }],
    [`GET ${HISTORY}?limit=50`]: [200, [tx(2, -15, '2026-01-02T10:00:00Z', { type: 'redeem' }), tx(1, 40, '2026-01-01T10:00:00Z')]],
  });
  const result = await loadPoints(PHONE);
  assert.equal(result.total, null);
  assert.equal(result.transactions.length, 2);
  assert.equal(result.historyError, null);
});

test('the history failing leaves the total and says why', async () => {
  installFakeFetch({
    [POINTS]: [200, { phone_number: PHONE, total_points: 7, recent_transactions: [] }],
    [`GET ${HISTORY}?limit=50`]: [500, { detail: 'Boom', error: 'Internal' }],
  });
  const result = await loadPoints(PHONE);
  assert.equal(result.total, 7);
  assert.equal(result.history, null);
  assert.equal(result.historyError.status, 500);
});

test('a customer the platform has not seen has 0 points', async () => {
  installFakeFetch({
    [POINTS]: [404, { detail: 'Customer not found', error: 'CustomerNotFound' }],
    [`GET ${HISTORY}?limit=50`]: [404, { detail: 'Customer not found', error: 'CustomerNotFound' }],
  });
  assert.deepEqual(await loadPoints(PHONE), { total: 0, nextExpiry: null, transactions: [], history: null, historyError: null });
});

test('a missing service rejects with notDeployed', async () => {
  installFakeFetch({});
  const err = await loadPoints(PHONE).catch((e) => e);
  assert.equal(err.notDeployed, true);
});

test('describes each kind of transaction', () => {
  assert.equal(describeTransaction(normaliseTransaction(tx(1, 10, ''))), 'Earned · spent $10.00');
  assert.equal(
    describeTransaction(normaliseTransaction(tx(1, -50, '', { type: 'redeem', amount_spent: null, reward_description: 'Free bread' }))),
    'Redeemed: Free bread',
  );
  assert.match(describeTransaction(normaliseTransaction(tx(1, 20, '', { type: 'referral_bonus', amount_spent: null }))), /^Referral bonus/);
  const row = (points, type) => describeTransaction(normaliseTransaction(tx(1, points, '', { type, amount_spent: null })));
  assert.equal(row(-12, 'reversal'), 'Refund: points taken back');
  assert.equal(row(50, 'reversal'), 'Redemption cancelled: points back');
  assert.equal(row(-40, 'expire'), 'Points expired');
  assert.equal(row(300, 'import'), 'Imported balance');
});

/** The section's elements in a fake page; `click()` runs the "Show more" handler. */
function mountSection() {
  const els = Object.fromEntries(['total-points', 'next-expiry', 'history-list', 'history-more', 'points-status'].map((id) => [id, new FakeElement('div')]));
  globalThis.document = {
    ...fakeDocument,
    querySelector: (sel) => els[/data-testid="([^"]+)"/.exec(sel)[1]] ?? null,
  };
  const section = initPoints();
  const more = els['history-more'];
  const click = () => Promise.all(more.listeners.click.map((fn) => fn()));
  const shown = () => els['history-list'].children.length;
  return { els, section, more, click, shown };
}

test('"Show more" pages through loaded rows, then fetches the next server page, and stops at a short one', async () => {
  const calls = installRoutes({ [POINTS]: [200, { phone_number: PHONE, total_points: 123, recent_transactions: [] }] }, pagedHistory(123));
  const { els, section, more, click, shown } = mountSection();
  assert.equal((await section.load(PHONE)).total, 123);
  assert.equal(els['total-points'].textContent, '123');
  assert.equal(shown(), 10);
  assert.equal(more.hidden, false);
  const historyCalls = () => calls.filter((c) => c.url.startsWith(HISTORY)).map((c) => c.url.slice(HISTORY.length));
  assert.deepEqual(historyCalls(), ['?limit=50']);

  for (let i = 0; i < 4; i++) await click(); // rows 11–50 were already loaded
  assert.equal(shown(), 50);
  assert.deepEqual(historyCalls(), ['?limit=50']);

  await click();
  assert.equal(shown(), 60);
  assert.deepEqual(historyCalls(), ['?limit=50', '?limit=50&offset=50']);

  while (!more.hidden) await click();
  assert.equal(shown(), 123);
  assert.deepEqual(historyCalls(), ['?limit=50', '?limit=50&offset=50', '?limit=50&offset=100']);
  assert.equal(more.disabled, false);
});

test('a failed next page says why and the same button tries again', async () => {
  let fail = true;
  const history = pagedHistory(60);
  installRoutes({ [POINTS]: [200, { phone_number: PHONE, total_points: 60, recent_transactions: [] }] }, (call) => {
    if (call.url.includes('offset=50') && fail) {
      fail = false;
      return jsonResponse(503, { detail: 'down' });
    }
    return history(call);
  });
  const { els, section, more, click, shown } = mountSection();
  await section.load(PHONE);
  for (let i = 0; i < 5; i++) await click();
  assert.equal(shown(), 50);
  assert.equal(els['points-status'].getAttribute('data-kind'), 'error');
  assert.equal(els['points-status'].hidden, false);
  assert.equal(more.hidden, false);
  await click();
  assert.equal(shown(), 60);
  assert.equal(els['points-status'].hidden, true);
  assert.equal(more.hidden, true);
});

test('without the points call the total says it is unavailable, whatever the history holds', async () => {
  installRoutes({ [POINTS]: [503, { detail: 'down' }] }, pagedHistory(5));
  const { els, section, shown, more } = mountSection();
  assert.equal((await section.load(PHONE)).total, null);
  assert.equal(els['total-points'].textContent, '–');
  assert.equal(els['points-status'].textContent, TOTAL_UNAVAILABLE);
  assert.equal(shown(), 5);
  assert.equal(more.hidden, true);
});

test('the points that expire next show beside the balance, and nothing when none expire', async () => {
  const soon = new Date(Date.now() + 20 * 86_400_000).toISOString().slice(0, 10);
  const expected = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', timeZone: 'UTC' }).format(new Date(`${soon}T00:00:00Z`));
  installRoutes({ [POINTS]: [200, { phone_number: PHONE, total_points: 90, next_expiry: { points: 40, date: soon }, recent_transactions: [] }] }, pagedHistory(2));
  const { els, section } = mountSection();

  const result = await section.load(PHONE);

  assert.deepEqual(result.nextExpiry, { points: 40, date: soon });
  assert.equal(els['next-expiry'].textContent, `40 points expire on ${expected}`);
  assert.equal(els['next-expiry'].hidden, false);

  installRoutes({ [POINTS]: [200, { phone_number: PHONE, total_points: 90, next_expiry: null, recent_transactions: [] }] }, pagedHistory(2));
  await section.load(PHONE);
  assert.equal(els['next-expiry'].hidden, true);
  assert.equal(els['next-expiry'].textContent, '');
});
