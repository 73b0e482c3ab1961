/** Recommendations for you: `GET /customers/recommendations/{phone}` → `{recommendations: [{rule, message, business_id?}]}`. */

import { isAbort, request } from '../api.js';
import { byTestId, fill, h, showStatus } from '../dom.js';

const NOT_DEPLOYED = 'Tips for you will show here soon.';
const NONE = 'No tips for you right now. Check again after your next visit.';

/** The messages worth showing (strings only, blanks dropped). */
export function recommendationsFromResponse(data) {
  const list = Array.isArray(data) ? data : Array.isArray(data?.recommendations) ? data.recommendations : [];
  return list
    .filter((r) => r && typeof r.message === 'string' && r.message.trim())
    .map((r) => ({ rule: typeof r.rule === 'string' ? r.rule : '', message: r.message.trim(), businessId: r.business_id ?? null }));
}

export function renderRecommendationItem(rec) {
  return h(
    'li',
    { class: 'flex gap-2 py-2 text-slate-800', testid: 'recommendation-item', 'data-rule': rec.rule || null },
    h('span', { class: 'text-points', 'aria-hidden': 'true', text: '★' }),
    h('span', { class: 'break-words', text: rec.message }),
  );
}

/** Wire the section; `load(phone, signal)` fills the list. */
export function initRecommendations() {
  const list = byTestId('recommendations-list');
  const status = byTestId('recommendations-status');

  function reset() {
    fill(list);
    showStatus(status, '');
  }

  return {
    reset,
    async load(phone, signal) {
      reset();
      showStatus(status, 'Loading…');
      try {
        const data = await request(`/customers/recommendations/${encodeURIComponent(phone)}`, { signal });
        const recs = recommendationsFromResponse(data);
        fill(list, recs.map(renderRecommendationItem));
        showStatus(status, recs.length ? '' : NONE);
      } catch (err) {
        if (isAbort(err)) return;
        showStatus(status, err.notDeployed ? NOT_DEPLOYED : err.message, err.notDeployed ? 'info' : 'error');
      }
    },
  };
}
