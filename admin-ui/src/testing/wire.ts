/**
 * The platform's answers in their wire shapes (snake_case, as the services send them), for
 * specs to flush: one place to follow when a shape changes.
 */

/** A reward of business 3's catalog (`GET /businesses/3/rewards`). */
export function rewardWire(id: number, name: string, pointsCost: number, active = true) {
  return {
    id,
    business_id: 3,
    name,
    description: '',
    points_cost: pointsCost,
    active,
    created_at: '2026-11-01T10:00:00Z',
    updated_at: '2026-11-01T10:00:00Z',
  };
}

/** A reports summary of business 3 (`GET /reports/summary`): all zero unless told. */
export function summaryWire(figures: object = {}) {
  return {
    business_id: 3,
    from: null,
    to: null,
    total_points_issued: 0,
    total_redemptions: { count: 0, points: 0 },
    total_reversals: { count: 0, points_reversed: 0, shortfall: 0, points_given_back: 0 },
    total_points_expired: 0,
    total_points_imported: 0,
    net_points: 0,
    customer_count: 0,
    top_customers: [],
    daily: [],
    ...figures,
  };
}

/** One day of a reports summary's `daily` series: all zero unless told. */
export function dayWire(date: string, figures: object = {}) {
  return {
    date,
    points_issued: 0,
    points_redeemed: 0,
    points_reversed: 0,
    points_given_back: 0,
    points_expired: 0,
    points_imported: 0,
    ...figures,
  };
}

/** The signed-in business (`GET /auth/me`). */
export const BUSINESS_ME = {
  id: 7,
  name: 'Mbare Bakery',
  contact_person: 'Rudo',
  email: 'rudo@example.com',
  created_at: '2026-01-01T00:00:00Z',
};

/** The "close to a reward" rule as the loyalty service describes it (`…/capabilities`). */
export function nearRewardRuleWire(description: string) {
  return {
    rule: 'near_reward',
    title: 'Close to a reward',
    description,
    parameters: { near_reward_fraction: 0.2, near_reward_percent: 20.0 },
  };
}

/** A ledger row of business 3 in a customer's history (the transaction row): an earn unless told. */
export function transactionWire(row: object = {}) {
  return {
    id: 1,
    type: 'earn',
    business_id: 3,
    business_name: 'Mbare Bakery',
    amount_spent: '25.00',
    points: 25,
    reward_description: null,
    reversed_transaction_id: null,
    shortfall: null,
    timestamp: '2026-11-01T10:00:00Z',
    ...row,
  };
}

/** A balance import's answer (`POST /businesses/3/import/balances`): a dry run of nothing unless told. */
export function importReportWire(report: object = {}) {
  return {
    dry_run: true,
    rows: 0,
    valid: 0,
    imported: 0,
    already_imported: 0,
    points: 0,
    errors: [],
    ...report,
  };
}

/** The `init` of a 201 answer, for `flush(body, CREATED)`. */
export const CREATED = { status: 201, statusText: 'Created' };

/** The answer to an award (`POST /transactions/add_points`, 201). */
export function awardWire(
  transactionId: number,
  customerPhoneNumber: string,
  pointsEarned: number,
  totalPoints: number,
) {
  return {
    transaction_id: transactionId,
    customer_phone_number: customerPhoneNumber,
    points_earned: pointsEarned,
    total_points: totalPoints,
  };
}
