/**
 * Available rewards: `GET /customers/{phone}/rewards`. Those redeemable now come first,
 * then the rest, closest first, with how many points are still missing.
 *
 * The answer's shape is not fixed in the contract yet; `normaliseReward` and
 * `rewardsFromResponse` are the one place that knows it (a list, or `{rewards: [...]}`,
 * of `{id, business_id, business_name, name, description, points_cost, redeemable}`).
 */

import { isAbort, request } from '../api.js';
import { byTestId, fill, h, showStatus } from '../dom.js';
import { formatNumber, pointsLabel } from '../format.js';

const NOT_DEPLOYED = 'Rewards will show here soon.';
const NONE = 'No rewards are on offer right now. Check again soon.';

/** One reward from the API as the portal uses it. */
export function normaliseReward(raw) {
  return {
    id: raw?.id ?? null,
    businessId: raw?.business_id ?? null,
    businessName: typeof raw?.business_name === 'string' ? raw.business_name : '',
    name: typeof raw?.name === 'string' ? raw.name : '',
    description: typeof raw?.description === 'string' ? raw.description : '',
    pointsCost: Math.max(0, Number(raw?.points_cost) || 0),
    redeemable: typeof raw?.redeemable === 'boolean' ? raw.redeemable : null,
  };
}

/** The rewards in an answer (a list, or an object holding `rewards`). */
export function rewardsFromResponse(data) {
  const list = Array.isArray(data) ? data : Array.isArray(data?.rewards) ? data.rewards : [];
  return list.filter((r) => r && typeof r === 'object').map(normaliseReward);
}

const byName = (a, b) => a.name.localeCompare(b.name) || a.businessName.localeCompare(b.businessName);

/**
 * Order for display and add `missing` (points still needed, null when the total is not
 * known): redeemable now first (cheapest first), then the others, closest first. The
 * server's `redeemable` wins; without it, the total decides.
 */
export function orderRewards(rewards, totalPoints) {
  const total = Number.isFinite(totalPoints) ? totalPoints : null;
  const rows = rewards.map((r) => {
    const redeemable = r.redeemable ?? (total !== null && r.pointsCost <= total);
    const missing = redeemable ? 0 : total === null ? null : Math.max(0, r.pointsCost - total);
    return { ...r, redeemable, missing };
  });
  const ready = rows.filter((r) => r.redeemable).sort((a, b) => a.pointsCost - b.pointsCost || byName(a, b));
  const later = rows
    .filter((r) => !r.redeemable)
    .sort((a, b) => (a.missing ?? a.pointsCost) - (b.missing ?? b.pointsCost) || byName(a, b));
  return [...ready, ...later];
}

/** One reward card (all data as text). */
export function renderRewardItem(reward, totalPoints) {
  const progress =
    !reward.redeemable && reward.pointsCost > 0 && Number.isFinite(totalPoints)
      ? h('progress', {
          class: 'mt-2 h-2 w-full accent-brand-600',
          max: reward.pointsCost,
          value: Math.min(Math.max(totalPoints, 0), reward.pointsCost),
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

/** Wire the section; `load(phone, totalPromise, signal)` fills the list. */
export function initRewards() {
  const list = byTestId('rewards-list');
  const status = byTestId('rewards-status');

  function reset() {
    fill(list);
    showStatus(status, '');
  }

  return {
    reset,
    async load(phone, totalPromise, signal) {
      reset();
      showStatus(status, 'Loading rewards…');
      try {
        const [data, total] = await Promise.all([
          request(`/customers/${encodeURIComponent(phone)}/rewards`, { signal }),
          totalPromise,
        ]);
        const rewards = orderRewards(rewardsFromResponse(data), total);
        fill(list, rewards.map((r) => renderRewardItem(r, total)));
        const ready = rewards.filter((r) => r.redeemable).length;
        showStatus(
          status,
          !rewards.length ? NONE : ready ? `${formatNumber(ready)} ready for you now.` : '',
          ready ? 'success' : 'info',
        );
      } catch (err) {
        if (isAbort(err)) return;
        showStatus(status, err.notDeployed ? NOT_DEPLOYED : err.message, err.notDeployed ? 'info' : 'error');
      }
    },
  };
}
