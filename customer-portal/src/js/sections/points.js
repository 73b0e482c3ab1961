/**
 * Your points: the coalition-wide total (`GET /customers/points/{phone}`) and the full
 * history (`GET /customers/{phone}/transactions`, newest first), shown a page at a time.
 */

import { isAbort, request } from '../api.js';
import { byTestId, fill, h, showStatus } from '../dom.js';
import { formatAmount, formatDate, formatNumber, formatSignedPoints } from '../format.js';

/** History rows rendered at once; "Show more" adds the next page (cheap phones). */
export const PAGE_SIZE = 10;

const NOT_DEPLOYED = 'Your points will show here soon.';
const NO_HISTORY = 'No points yet. Give your phone number at the till of any partner business to start earning.';

/** A row from the API as the portal uses it (one place for the field names). */
export function normaliseTransaction(raw) {
  return {
    id: raw?.id ?? null,
    type: raw?.type ?? 'earn',
    businessName: typeof raw?.business_name === 'string' ? raw.business_name : '',
    amountSpent: raw?.amount_spent ?? null,
    points: Number(raw?.points) || 0,
    rewardDescription: typeof raw?.reward_description === 'string' ? raw.reward_description : '',
    timestamp: typeof raw?.timestamp === 'string' ? raw.timestamp : '',
  };
}

function asList(data, key) {
  if (Array.isArray(data)) return data;
  if (Array.isArray(data?.[key])) return data[key];
  return [];
}

/** Newest first, whatever order the server used (ISO timestamps compare as dates). */
function newestFirst(rows) {
  const time = (t) => Date.parse(t.timestamp) || 0;
  return [...rows].sort((a, b) => time(b) - time(a));
}

/** The customer has no record yet: a 404 that names a domain error, not a missing route. */
function isUnknownCustomer(err) {
  return err?.status === 404 && !err.notDeployed;
}

/**
 * Load total and history together: `{total, transactions}`. A customer the platform has
 * not seen yet has 0 points. When only one call works the other is derived or left empty
 * (`historyError` then says why). Throws when neither answers.
 */
export async function loadPoints(phone, { signal } = {}) {
  const path = encodeURIComponent(phone);
  const [points, history] = await Promise.allSettled([
    request(`/customers/points/${path}`, { signal }),
    request(`/customers/${path}/transactions`, { signal }),
  ]);
  for (const r of [points, history]) if (r.status === 'rejected' && isAbort(r.reason)) throw r.reason;
  if ([points, history].some((r) => r.status === 'rejected' && isUnknownCustomer(r.reason))) {
    return { total: 0, transactions: [], historyError: null };
  }
  const transactions =
    history.status === 'fulfilled' ? newestFirst(asList(history.value, 'transactions').map(normaliseTransaction)) : null;
  let total = points.status === 'fulfilled' ? Number(points.value?.total_points) : NaN;
  if (!Number.isFinite(total)) {
    if (!transactions) throw points.status === 'rejected' ? points.reason : history.reason;
    total = transactions.reduce((sum, t) => sum + t.points, 0); // the ledger invariant
  }
  return {
    total,
    transactions: transactions ?? [],
    historyError: history.status === 'rejected' ? history.reason : null,
  };
}

/** What happened, in words: "Earned · spent 12.50", "Redeemed: Free coffee", "Referral bonus". */
export function describeTransaction(tx) {
  if (tx.type === 'redeem') return tx.rewardDescription ? `Redeemed: ${tx.rewardDescription}` : 'Redeemed';
  if (tx.type === 'referral_bonus') return 'Referral bonus: a friend you invited';
  const amount = formatAmount(tx.amountSpent);
  return amount ? `Earned · spent ${amount}` : 'Earned';
}

/** One history row. Every piece of data goes in as text. */
export function renderTransactionItem(tx) {
  const pointsClass = tx.points < 0 ? 'text-red-700' : 'text-brand-700';
  return h(
    'li',
    { class: 'flex items-start justify-between gap-3 py-3', testid: 'history-item', 'data-type': tx.type },
    h(
      'div',
      { class: 'min-w-0' },
      h('p', { class: 'font-medium text-slate-900 break-words', testid: 'history-business', text: tx.businessName || 'Mubayiro' }),
      h('p', { class: 'text-sm text-slate-600 break-words', text: describeTransaction(tx) }),
      h('time', { class: 'text-xs text-slate-500', datetime: tx.timestamp, text: formatDate(tx.timestamp) }),
    ),
    h('p', { class: `shrink-0 font-semibold tabular-nums ${pointsClass}`, testid: 'history-points', text: formatSignedPoints(tx.points) }),
  );
}

/** Wire the section; `load(phone, signal)` resolves to the total (or null when unknown). */
export function initPoints() {
  const totalEl = byTestId('total-points');
  const list = byTestId('history-list');
  const more = byTestId('history-more');
  const status = byTestId('points-status');
  let rows = [];
  let shown = 0;

  function showNextPage() {
    const next = rows.slice(shown, shown + PAGE_SIZE);
    for (const tx of next) list.appendChild(renderTransactionItem(tx));
    shown += next.length;
    more.hidden = shown >= rows.length;
  }
  more.addEventListener('click', showNextPage);

  function reset() {
    rows = [];
    shown = 0;
    totalEl.textContent = '…';
    fill(list);
    more.hidden = true;
    showStatus(status, '');
  }

  return {
    reset,
    async load(phone, signal) {
      reset();
      showStatus(status, 'Loading your points…');
      try {
        const result = await loadPoints(phone, { signal });
        totalEl.textContent = formatNumber(result.total);
        rows = result.transactions;
        showNextPage();
        if (result.historyError) showStatus(status, result.historyError.notDeployed ? 'Your history will show here soon.' : result.historyError.message, 'error');
        else showStatus(status, rows.length ? '' : NO_HISTORY);
        return result.total;
      } catch (err) {
        if (isAbort(err)) return null;
        totalEl.textContent = '–';
        showStatus(status, err.notDeployed ? NOT_DEPLOYED : err.message, err.notDeployed ? 'info' : 'error');
        return null;
      }
    },
  };
}
