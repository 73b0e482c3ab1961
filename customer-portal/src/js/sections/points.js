/**
 * Your points: the coalition-wide total (`GET /customers/points/{phone}`) with the points
 * that expire next beside it ("40 points expire on 12 Jan", from its `next_expiry`), and the full
 * history (`GET /customers/{phone}/transactions?limit=50&offset=N`, newest first, paged
 * by the server), shown 10 rows at a time; "Show more" asks for the next page only when
 * the loaded rows are used up.
 */

import { isAbort, request } from '../api.js';
import { busy, byTestId, fill, h, showStatus } from '../dom.js';
import { expiryNote, formatDate, formatMoney, formatNumber, formatSignedPoints } from '../format.js';
import { createPagedList, pagedPath } from '../paging.js';

/** History rows rendered at once; "Show more" adds the next ones (cheap phones). */
export const PAGE_SIZE = 10;
/** History rows asked of the server per page (its default; it allows up to 500). */
export const HISTORY_LIMIT = 50;

const NOT_DEPLOYED = 'Your points will show here soon.';
const NO_HISTORY = 'No points yet. Give your phone number at the till of any partner business to start earning.';
export const TOTAL_UNAVAILABLE = 'Your total is not available right now. Please try again later.';

/** A row from the API as the portal uses it (one place for the field names). */
export function normaliseTransaction(raw) {
  return {
    id: raw?.id ?? null,
    type: raw?.type ?? 'earn',
    businessId: raw?.business_id ?? null,
    businessName: typeof raw?.business_name === 'string' ? raw.business_name : '',
    amountSpent: raw?.amount_spent ?? null,
    points: Number(raw?.points) || 0,
    rewardDescription: typeof raw?.reward_description === 'string' ? raw.reward_description : '',
    timestamp: typeof raw?.timestamp === 'string' ? raw.timestamp : '',
  };
}

/** The customer has no record yet: a 404 that names a domain error, not a missing route. */
function isUnknownCustomer(err) {
  return err?.status === 404 && !err.notDeployed;
}

/** The customer's history as a paged list, `PAGE_SIZE` rows per `more()`. */
export function historyList(phone, { signal } = {}) {
  const path = `/customers/${encodeURIComponent(phone)}/transactions`;
  return createPagedList({
    limit: HISTORY_LIMIT,
    step: PAGE_SIZE,
    fetchPage: async (limit, offset) => {
      const data = await request(pagedPath(path, limit, offset), { signal });
      return Array.isArray(data) ? data.map(normaliseTransaction) : [];
    },
  });
}

/**
 * Load the total and the first history page together: `{total, nextExpiry, transactions,
 * history, historyError}` (`nextExpiry`: `{points, date}` or null), `transactions` being the first rows to show and `history` the list to
 * ask for more (null when there is nothing more to ask). A customer the platform has not
 * seen yet has 0 points. The total only ever comes from the points call: when it fails,
 * `total` is null (the history is one page, never the whole ledger). Throws when neither
 * call answers.
 */
export async function loadPoints(phone, { signal } = {}) {
  const history = historyList(phone, { signal });
  const [points, first] = await Promise.allSettled([
    request(`/customers/points/${encodeURIComponent(phone)}`, { signal }),
    history.more(),
  ]);
  for (const r of [points, first]) if (r.status === 'rejected' && isAbort(r.reason)) throw r.reason;
  if ([points, first].some((r) => r.status === 'rejected' && isUnknownCustomer(r.reason))) {
    return { total: 0, nextExpiry: null, transactions: [], history: null, historyError: null };
  }
  const total = points.status === 'fulfilled' ? Number(points.value?.total_points) : NaN;
  if (!Number.isFinite(total) && first.status === 'rejected') {
    throw points.status === 'rejected' ? points.reason : first.reason;
  }
  return {
    total: Number.isFinite(total) ? total : null,
    nextExpiry: (points.status === 'fulfilled' && points.value?.next_expiry) || null,
    transactions: first.status === 'fulfilled' ? first.value : [],
    history: first.status === 'fulfilled' ? history : null,
    historyError: first.status === 'rejected' ? first.reason : null,
  };
}

/** What happened, in words: "Earned · spent $12.50", "Redeemed: Free coffee", "Refund", … */
export function describeTransaction(tx) {
  if (tx.type === 'redeem') return tx.rewardDescription ? `Redeemed: ${tx.rewardDescription}` : 'Redeemed';
  if (tx.type === 'referral_bonus') return 'Referral bonus: a friend you invited';
  if (tx.type === 'reversal') return tx.points > 0 ? 'Redemption cancelled: points back' : 'Refund: points taken back';
  if (tx.type === 'expire') return 'Points expired';
  if (tx.type === 'import') return 'Imported balance';
  const amount = formatMoney(tx.amountSpent);
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

/**
 * Wire the section; `load(phone, signal)` resolves to what `loadPoints` found (`total` null
 * when unknown), or null when nothing could be loaded.
 */
export function initPoints() {
  const totalEl = byTestId('total-points');
  const expiryEl = byTestId('next-expiry');
  const list = byTestId('history-list');
  const more = byTestId('history-more');
  const status = byTestId('points-status');
  let history = null;
  let settled = ['', 'info']; // the status line once loaded, shown again after a retry works

  function append(rows) {
    for (const tx of rows) list.appendChild(renderTransactionItem(tx));
  }

  more.addEventListener('click', async () => {
    const current = history;
    if (!current || more.disabled) return;
    const done = busy(more, 'Loading…');
    try {
      const rows = await current.more();
      if (current !== history) return; // signed out meanwhile
      append(rows);
      showStatus(status, ...settled);
    } catch (err) {
      if (current === history && !isAbort(err)) showStatus(status, err.message, 'error');
    } finally {
      done();
      if (current === history) more.hidden = !current.hasMore;
    }
  });

  function reset() {
    history = null;
    settled = ['', 'info'];
    totalEl.textContent = '…';
    expiryEl.hidden = true;
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
        totalEl.textContent = result.total === null ? '–' : formatNumber(result.total);
        expiryEl.textContent = expiryNote(result.nextExpiry);
        expiryEl.hidden = !expiryEl.textContent;
        history = result.history;
        append(result.transactions);
        more.hidden = !history?.hasMore;
        if (result.historyError) {
          const e = result.historyError;
          settled = [e.notDeployed ? 'Your history will show here soon.' : e.message, 'error'];
        } else if (result.total === null) {
          settled = [TOTAL_UNAVAILABLE, 'error'];
        } else {
          settled = [result.transactions.length ? '' : NO_HISTORY, 'info'];
        }
        showStatus(status, ...settled);
        return result;
      } catch (err) {
        if (isAbort(err)) return null;
        totalEl.textContent = '–';
        showStatus(status, err.notDeployed ? NOT_DEPLOYED : err.message, err.notDeployed ? 'info' : 'error');
        return null;
      }
    },
  };
}
