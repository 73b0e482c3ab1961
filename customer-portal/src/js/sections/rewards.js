/**
 * Rewards, about my shops: the shops I visit come first, each with what I can get there
 * now and the next reward with how far I am from it; "See all rewards" opens the rest of
 * the coalition's catalog, ten at a time. A line beside my total says it in one sentence.
 *
 * Where the data comes from (existing routes only):
 * - my shops: my history (`GET /customers/{phone}/transactions`, the first page the points
 *   section loads anyway): the shops I earned or redeemed at, the most visited first, ties
 *   to the most recent;
 * - the rewards: `GET /customers/{phone}/rewards?limit=100&offset=N`, every active reward
 *   of every shop as `{id, business_id, business_name, name, description, points_cost,
 *   redeemable, points_missing}` (mapped only in `normaliseReward`), sorted by the server
 *   by `points_missing`, then cost: every redeemable reward first, then the closest.
 *
 * Because of that order, a shop's picture is complete as soon as one of its rewards that
 * is not yet redeemable has arrived: everything it offers that I can get now came before,
 * and that one is its next. So pages are read until every one of my shops has its next
 * (or the catalog ends), at most `MAX_PAGES_FOR_SHOPS` pages; the rest stays on the server
 * until "See all" asks for it.
 */

import { isAbort, request } from '../api.js';
import { busy, byTestId, fill, h, showStatus } from '../dom.js';
import { formatNumber, pointsLabel } from '../format.js';
import { createPagedList, pagedPath } from '../paging.js';

/** Rewards asked of the server per page (it allows up to 500). */
export const REWARDS_LIMIT = 100;
/** Shops that get their own card; the others' rewards are under "See all". */
export const MAX_SHOPS = 5;
/** Rewards I can get now listed per shop card; the rest of them are under "See all". */
export const READY_PER_SHOP = 3;
/** Pages read at most to find each of my shops' next reward (a very large catalog). */
export const MAX_PAGES_FOR_SHOPS = 5;
/** Rows "See all" adds per press. */
export const ALL_STEP = 10;

const NOT_DEPLOYED = 'Rewards will show here soon.';
const NONE = 'No rewards are on offer right now. Check again soon.';
const NO_SHOPS = 'Give your phone number at the till of a Mubayiro shop: its rewards will show here first.';
const REST_DONE = 'That is every reward on offer.';
const NO_OTHERS = 'No other rewards are on offer right now.';

/** One reward from the API as the portal uses it (the one place for the field names). */
export function normaliseReward(raw) {
  return {
    id: raw?.id ?? null,
    businessId: raw?.business_id ?? null,
    businessName: typeof raw?.business_name === 'string' ? raw.business_name : '',
    name: typeof raw?.name === 'string' ? raw.name : '',
    description: typeof raw?.description === 'string' ? raw.description : '',
    pointsCost: Math.max(0, Number(raw?.points_cost) || 0),
    redeemable: raw?.redeemable === true,
    missing: Math.max(0, Number(raw?.points_missing) || 0),
  };
}

/** The rewards in one page of the answer, in the server's order. */
export function rewardsFromResponse(data) {
  return Array.isArray(data) ? data.map(normaliseReward) : [];
}

/** The customer's rewards as a paged list, one server page per `more()`. */
export function rewardsList(phone, { signal } = {}) {
  const path = `/customers/${encodeURIComponent(phone)}/rewards`;
  return createPagedList({
    limit: REWARDS_LIMIT,
    fetchPage: async (limit, offset) => rewardsFromResponse(await request(pagedPath(path, limit, offset), { signal })),
  });
}

/**
 * My shops from my history rows (normalised transactions): `[{id, name}]`, the shops I
 * earned or redeemed at, the most visited first, ties to the most recent visit (the rows
 * come newest first). A referral bonus is not a visit of mine.
 */
export function shopsFromHistory(transactions) {
  const shops = new Map();
  (transactions ?? []).forEach((tx, index) => {
    if (tx?.businessId === null || tx?.businessId === undefined) return;
    if (tx.type !== 'earn' && tx.type !== 'redeem') return;
    const shop = shops.get(tx.businessId) ?? { id: tx.businessId, name: tx.businessName, visits: 0, latest: index };
    shop.visits += 1;
    shops.set(tx.businessId, shop);
  });
  return [...shops.values()]
    .sort((a, b) => b.visits - a.visits || a.latest - b.latest)
    .map(({ id, name }) => ({ id, name }));
}

/**
 * Each shop's part of the rewards loaded so far: `{id, name, ready, more, next, known}`:
 * the rewards I can get now (the first `READY_PER_SHOP`), how many more I could, the
 * closest one I cannot get yet (null if none), and whether that picture is complete (its
 * next has arrived, or the whole catalog has).
 */
export function groupByShop(rows, shops, done) {
  return shops.map((shop) => {
    const own = rows.filter((r) => r.businessId === shop.id);
    const ready = own.filter((r) => r.redeemable);
    const next = own.find((r) => !r.redeemable) ?? null;
    return {
      id: shop.id,
      name: own[0]?.businessName || shop.name,
      ready: ready.slice(0, READY_PER_SHOP),
      more: Math.max(ready.length - READY_PER_SHOP, 0),
      next,
      known: next !== null || done,
    };
  });
}

/** Every shop in `shops` has its full picture in `rows` (see `groupByShop`). */
export function shopsComplete(rows, shops, done) {
  return done || shops.every((shop) => rows.some((r) => r.businessId === shop.id && !r.redeemable));
}

/**
 * The sentence beside my total: what I can get now and how far the next reward is, at my
 * shops (at every shop while I have none). `rows` are the rewards loaded so far; while
 * only redeemable ones have arrived and more pages remain, the count is a floor.
 */
export function rewardsSummary(rows, shops, done) {
  const ids = new Set(shops.map((s) => s.id));
  const mine = shops.length ? rows.filter((r) => ids.has(r.businessId)) : rows;
  const where = shops.length ? ' at your shops' : '';
  const ready = mine.filter((r) => r.redeemable).length;
  const next = mine.find((r) => !r.redeemable) ?? null;
  const exact = done || rows.some((r) => !r.redeemable);
  const parts = [];
  if (ready) {
    const count = `${formatNumber(ready)}${exact ? '' : ' or more'}`;
    parts.push(`You can get ${count} ${ready === 1 && exact ? 'reward' : 'rewards'} now${where}.`);
  }
  if (next) {
    parts.push(`${ready ? 'Next' : 'Your next reward'}: ${next.name} at ${next.businessName}, ${pointsLabel(next.missing)} to go.`);
  }
  return parts.join(' ');
}

/** One reward card (all data as text); the bar shows the points already there. */
export function renderRewardItem(reward, { showBusiness = true } = {}) {
  const progress =
    !reward.redeemable && reward.pointsCost > 0
      ? h('progress', {
          class:
            'mt-2 block h-2 w-full appearance-none overflow-hidden rounded-full bg-slate-200 accent-brand-600 ' +
            '[&::-webkit-progress-bar]:bg-slate-200 [&::-webkit-progress-value]:rounded-full ' +
            '[&::-webkit-progress-value]:bg-brand-600 [&::-moz-progress-bar]:bg-brand-600',
          max: reward.pointsCost,
          value: Math.max(reward.pointsCost - reward.missing, 0),
          'aria-label': `Progress towards ${reward.name}`,
        })
      : null;
  let badge;
  if (reward.redeemable) {
    badge = h('p', { class: 'mt-1 text-sm font-semibold text-brand-700', testid: 'reward-status', text: 'You can get this now — ask at the till.' });
  } else if (reward.missing) {
    badge = h('p', { class: 'mt-1 text-sm font-medium text-points', testid: 'reward-status', text: `${pointsLabel(reward.missing)} to go` });
  } else {
    badge = h('p', { class: 'mt-1 text-sm text-slate-600', testid: 'reward-status', text: 'Not available to you yet.' });
  }
  return h(
    'li',
    {
      class: `rounded-xl border p-3 ${reward.redeemable ? 'border-brand-600 bg-brand-50' : 'border-slate-200 bg-white'}`,
      testid: 'reward-item',
      'data-redeemable': String(reward.redeemable),
    },
    h(
      'div',
      { class: 'flex items-start justify-between gap-3' },
      h(
        'div',
        { class: 'min-w-0' },
        h('p', { class: 'font-semibold text-slate-900 break-words', testid: 'reward-name', text: reward.name }),
        showBusiness ? h('p', { class: 'text-sm text-slate-600 break-words', testid: 'reward-business', text: reward.businessName }) : null,
      ),
      h('p', { class: 'shrink-0 text-sm font-semibold tabular-nums text-slate-900', testid: 'reward-cost', text: pointsLabel(reward.pointsCost) }),
    ),
    reward.description ? h('p', { class: 'mt-1 text-sm text-slate-700 break-words', text: reward.description }) : null,
    badge,
    progress,
  );
}

/** One of my shops: what I can get there now, then the next reward. */
export function renderShopCard(group) {
  const headingId = `shop-${String(group.id).replace(/[^A-Za-z0-9_-]/g, '')}-heading`;
  let note = null;
  if (group.more) {
    note = h('p', { class: 'text-sm text-slate-700', testid: 'shop-more-ready', text: `…and ${formatNumber(group.more)} more you can get now: see all rewards below.` });
  } else if (!group.ready.length && !group.next) {
    note = h('p', { class: 'text-sm text-slate-600', testid: 'shop-empty', text: group.known ? 'No rewards at this shop right now.' : 'Its rewards are under "See all rewards".' });
  }
  return h(
    'li',
    { testid: 'shop-rewards', 'data-business-id': String(group.id) },
    h('section', { 'aria-labelledby': headingId },
      h('h3', { id: headingId, class: 'text-base font-semibold break-words', testid: 'shop-name', text: group.name }),
      h('ul', { class: 'mt-2 space-y-2' },
        group.ready.map((r) => renderRewardItem(r, { showBusiness: false })),
        group.next ? renderRewardItem(group.next, { showBusiness: false }) : null,
      ),
      note,
    ),
  );
}

/** Wire the section; `load(phone, signal, shops)` fills it (`shops`: a promise of my shops). */
export function initRewards() {
  const shopList = byTestId('shop-rewards-list');
  const heading = byTestId('rewards-heading');
  const status = byTestId('rewards-status');
  const summary = byTestId('rewards-summary');
  const seeAll = byTestId('rewards-see-all');
  const all = byTestId('rewards-all');
  const allHeading = byTestId('rewards-all-heading');
  const list = byTestId('rewards-list');
  const allStatus = byTestId('rewards-all-status');
  const more = byTestId('rewards-more');
  /** The session's state: the paged catalog, my shops, the rewards already on screen. */
  let state = null;

  /** The rewards not on a shop card, loaded so far. */
  function rest(current) {
    return current.rows.rows.filter((r) => !current.onCards.has(r.id));
  }

  function updateMore(current) {
    more.hidden = !(current.restShown < rest(current).length || !current.rows.done);
  }

  /** Show the next `ALL_STEP` of the rest, asking the server for pages as needed. */
  async function showMoreRest(current) {
    while (current.restShown + ALL_STEP > rest(current).length && !current.rows.done) {
      await current.rows.more();
      if (current !== state) return;
    }
    const next = rest(current).slice(current.restShown, current.restShown + ALL_STEP);
    current.restShown += next.length;
    for (const r of next) list.appendChild(renderRewardItem(r));
    const left = rest(current).length;
    if (!left) showStatus(allStatus, current.shops.length ? NO_OTHERS : NONE);
    else if (current.rows.done && current.restShown >= left && current.shops.length) showStatus(allStatus, REST_DONE);
    else showStatus(allStatus, '');
    updateMore(current);
  }

  /** Run a "See all" / "Show more" step; a failure is said under the list and changes nothing. */
  async function pressed(button, action) {
    const current = state;
    if (!current || button.disabled) return;
    const done = busy(button, 'Loading…');
    try {
      await action(current);
    } catch (err) {
      if (current === state && !isAbort(err)) {
        showStatus(allStatus, err.message, 'error');
        updateMore(current);
      }
    } finally {
      done();
    }
  }

  more.addEventListener('click', () => pressed(more, showMoreRest));

  seeAll.addEventListener('click', () => {
    const open = seeAll.getAttribute('aria-expanded') !== 'true';
    seeAll.setAttribute('aria-expanded', String(open));
    seeAll.textContent = open ? 'Hide the other rewards' : 'See all rewards';
    all.hidden = !open;
    if (!open || !state) return;
    allHeading.focus();
    if (!state.restShown) pressed(seeAll, showMoreRest);
  });

  function reset() {
    state = null;
    fill(shopList);
    fill(list);
    more.hidden = true;
    seeAll.hidden = true;
    seeAll.setAttribute('aria-expanded', 'false');
    seeAll.textContent = 'See all rewards';
    all.hidden = true;
    heading.textContent = 'Rewards at your shops';
    showStatus(status, '');
    showStatus(allStatus, '');
    showStatus(summary, '');
  }

  return {
    reset,
    async load(phone, signal, shopsPromise = Promise.resolve([])) {
      reset();
      showStatus(status, 'Loading rewards…');
      const current = { rows: rewardsList(phone, { signal }), shops: [], onCards: new Set(), restShown: 0 };
      state = current;
      try {
        // The first page and my shops together; then pages until each shop is complete.
        const [shops] = await Promise.all([shopsPromise.then((s) => (s ?? []).slice(0, MAX_SHOPS)), current.rows.more()]);
        if (current !== state) return;
        current.shops = shops;
        for (let page = 1; page < MAX_PAGES_FOR_SHOPS && !shopsComplete(current.rows.rows, shops, current.rows.done); page++) {
          await current.rows.more();
          if (current !== state) return;
        }
        const rows = current.rows.rows;
        showStatus(summary, rewardsSummary(rows, shops, current.rows.done));
        showStatus(status, rows.length ? '' : current.rows.done ? NONE : '');
        if (!shops.length) {
          // No shop of mine yet: the whole catalog is the list, open.
          heading.textContent = 'Rewards at Mubayiro shops';
          allHeading.hidden = true;
          all.hidden = false;
          if (rows.length) showStatus(status, NO_SHOPS);
          await showMoreRest(current);
          return;
        }
        allHeading.hidden = false;
        const groups = groupByShop(rows, shops, current.rows.done);
        for (const g of groups) for (const r of [...g.ready, g.next]) if (r) current.onCards.add(r.id);
        fill(shopList, groups.map(renderShopCard));
        seeAll.hidden = current.rows.done && !rest(current).length;
      } catch (err) {
        if (isAbort(err) || current !== state) return;
        showStatus(status, err.notDeployed ? NOT_DEPLOYED : err.message, err.notDeployed ? 'info' : 'error');
      }
    },
  };
}
