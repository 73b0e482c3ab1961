/**
 * Available rewards: `GET /customers/{phone}/rewards?limit=100&offset=N`, a plain list of
 * `{id, business_id, business_name, name, description, points_cost, redeemable,
 * points_missing}`, paged and already ordered by the server: redeemable now first, then
 * the closest, `points_missing` computed from the customer's balance. The portal keeps
 * that order and those figures; "Show more" asks for the next page.
 */

import { isAbort, request } from '../api.js';
import { busy, byTestId, fill, h, showStatus } from '../dom.js';
import { formatNumber, pointsLabel } from '../format.js';
import { createPagedList, pagedPath } from '../paging.js';

/** Rewards asked of the server per page (it allows up to 500); all of them are shown. */
export const REWARDS_LIMIT = 100;

const NOT_DEPLOYED = 'Rewards will show here soon.';
const NONE = 'No rewards are on offer right now. Check again soon.';

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

/** The customer's rewards as a paged list, a whole page per `more()`. */
export function rewardsList(phone, { signal } = {}) {
  const path = `/customers/${encodeURIComponent(phone)}/rewards`;
  return createPagedList({
    limit: REWARDS_LIMIT,
    fetchPage: async (limit, offset) => rewardsFromResponse(await request(pagedPath(path, limit, offset), { signal })),
  });
}

/**
 * The status line for the rewards loaded so far: how many are ready now. The server lists
 * redeemable ones first, so the count is exact once a non-redeemable one or the last page
 * has arrived; before that it is a floor.
 */
export function rewardsSummary(rewards, done) {
  if (!rewards.length) return done ? NONE : '';
  const ready = rewards.filter((r) => r.redeemable).length;
  if (!ready) return '';
  const exact = done || ready < rewards.length;
  return `${formatNumber(ready)}${exact ? '' : ' or more'} ready for you now.`;
}

/** One reward card (all data as text); the bar shows the points already there. */
export function renderRewardItem(reward) {
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
    badge = h('p', { class: 'mt-1 text-sm text-amber-800', testid: 'reward-status', text: `${pointsLabel(reward.missing)} to go` });
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
        h('p', { class: 'text-sm text-slate-600 break-words', testid: 'reward-business', text: reward.businessName }),
      ),
      h('p', { class: 'shrink-0 text-sm font-semibold tabular-nums text-slate-900', text: pointsLabel(reward.pointsCost) }),
    ),
    reward.description ? h('p', { class: 'mt-1 text-sm text-slate-700 break-words', text: reward.description }) : null,
    badge,
    progress,
  );
}

/** Wire the section; `load(phone, signal)` fills the list with the first page. */
export function initRewards() {
  const list = byTestId('rewards-list');
  const more = byTestId('rewards-more');
  const status = byTestId('rewards-status');
  let rewards = null;

  function summarise() {
    const text = rewardsSummary(rewards.rows, rewards.done);
    showStatus(status, text, text === NONE ? 'info' : 'success');
  }

  async function next(current) {
    const rows = await current.more();
    if (current !== rewards) return; // signed out meanwhile
    for (const r of rows) list.appendChild(renderRewardItem(r));
    summarise();
  }

  more.addEventListener('click', async () => {
    const current = rewards;
    if (!current || more.disabled) return;
    const done = busy(more, 'Loading…');
    try {
      await next(current);
    } catch (err) {
      if (current === rewards && !isAbort(err)) showStatus(status, err.message, 'error');
    } finally {
      done();
      if (current === rewards) more.hidden = !current.hasMore;
    }
  });

  function reset() {
    rewards = null;
    fill(list);
    more.hidden = true;
    showStatus(status, '');
  }

  return {
    reset,
    async load(phone, signal) {
      reset();
      showStatus(status, 'Loading rewards…');
      const current = rewardsList(phone, { signal });
      rewards = current;
      try {
        await next(current);
        more.hidden = !current.hasMore;
      } catch (err) {
        if (isAbort(err) || current !== rewards) return;
        showStatus(status, err.notDeployed ? NOT_DEPLOYED : err.message, err.notDeployed ? 'info' : 'error');
      }
    },
  };
}
