/**
 * The reports service's summary (`GET /reports/summary?from=&to=`), mapped in this one file.
 * Shared: the reports page shows all of it, the dashboard its headline figures.
 *
 * Wire shape (days are inclusive UTC days, `YYYY-MM-DD`; `from`/`to` echo the request, null
 * when open; points are whole numbers, redeemed points positive):
 * ```json
 * { "business_id": 3, "from": "2026-11-01", "to": "2026-11-30",
 *   "total_points_issued": 1200,
 *   "total_redemptions": { "count": 4, "points": 350 },
 *   "total_reversals": { "count": 2, "points_reversed": 40, "shortfall": 15,
 *                        "points_given_back": 30 },
 *   "total_points_expired": 20, "total_points_imported": 500, "net_points": 1320,
 *   "customer_count": 31,
 *   "top_customers": [{ "phone_number": "+263771234567", "points_earned": 300,
 *                       "transaction_count": 6 }],
 *   "daily": [{ "date": "2026-11-01", "points_issued": 40, "points_redeemed": 0,
 *               "points_reversed": 0, "points_given_back": 0, "points_expired": 0,
 *               "points_imported": 0 }] }
 * ```
 * "Points issued" is points earned by purchases plus referral bonuses given (a refund does
 * not lower it: refunds are `points_reversed`, positive). `shortfall` is what refunds could
 * not take back because the customer had already spent it; `points_given_back` is what
 * cancelled redemptions returned; imported balances are not points issued. `net_points` is
 * issued + imported + given back − redeemed − reversed − expired (may be negative). `daily`
 * has one entry per day, oldest first, zeros included (empty when nothing happened and the
 * range is open); `top_customers` holds at most `limit` (5) customers, most points first.
 */
import { HttpClient, HttpContext } from '@angular/common/http';
import { Service, inject } from '@angular/core';

import { apiCall } from '../../../core/http/api-call';
import { QUIET } from '../../../core/http/http-context';

export interface TopCustomer {
  readonly phoneNumber: string;
  readonly pointsEarned: number;
  readonly transactionCount: number;
}

export interface DailyPoints {
  /** `YYYY-MM-DD` (UTC day). */
  readonly date: string;
  readonly pointsIssued: number;
  readonly pointsRedeemed: number;
  readonly pointsReversed: number;
  readonly pointsGivenBack: number;
  readonly pointsExpired: number;
  readonly pointsImported: number;
}

/** Refunds in the period: how many, and the points they moved (all positive). */
export interface ReversalFigures {
  readonly count: number;
  /** Taken back from customers by refunds of purchases and referral bonuses. */
  readonly pointsReversed: number;
  /** What refunds could not take back: the customer had already spent it. */
  readonly shortfall: number;
  /** Given back to customers by cancelled redemptions. */
  readonly pointsGivenBack: number;
}

export interface ReportSummary {
  readonly totalPointsIssued: number;
  readonly redemptionsCount: number;
  readonly redemptionsPoints: number;
  readonly reversals: ReversalFigures;
  readonly pointsExpired: number;
  readonly pointsImported: number;
  /** Issued + imported + given back − redeemed − reversed − expired (may be negative). */
  readonly netPoints: number;
  readonly customerCount: number;
  readonly topCustomers: readonly TopCustomer[];
  readonly daily: readonly DailyPoints[];
}

/** An inclusive range of UTC days, `YYYY-MM-DD`; either end may be left open. */
export interface DateRange {
  readonly from?: string;
  readonly to?: string;
}

/** The wire shape of the summary. */
export interface SummaryResponse {
  business_id: number;
  from: string | null;
  to: string | null;
  total_points_issued: number;
  total_redemptions: { count: number; points: number };
  total_reversals: {
    count: number;
    points_reversed: number;
    shortfall: number;
    points_given_back: number;
  };
  total_points_expired: number;
  total_points_imported: number;
  net_points: number;
  customer_count: number;
  top_customers: { phone_number: string; points_earned: number; transaction_count: number }[];
  daily: {
    date: string;
    points_issued: number;
    points_redeemed: number;
    points_reversed: number;
    points_given_back: number;
    points_expired: number;
    points_imported: number;
  }[];
}

/** How many top customers the reports show. */
export const TOP_CUSTOMERS = 5;

export function toReportSummary(raw: SummaryResponse): ReportSummary {
  return {
    totalPointsIssued: raw.total_points_issued,
    redemptionsCount: raw.total_redemptions.count,
    redemptionsPoints: raw.total_redemptions.points,
    reversals: {
      count: raw.total_reversals.count,
      pointsReversed: raw.total_reversals.points_reversed,
      shortfall: raw.total_reversals.shortfall,
      pointsGivenBack: raw.total_reversals.points_given_back,
    },
    pointsExpired: raw.total_points_expired,
    pointsImported: raw.total_points_imported,
    netPoints: raw.net_points,
    customerCount: raw.customer_count,
    topCustomers: raw.top_customers.map((c) => ({
      phoneNumber: c.phone_number,
      pointsEarned: c.points_earned,
      transactionCount: c.transaction_count,
    })),
    daily: raw.daily.map((d) => ({
      date: d.date,
      pointsIssued: d.points_issued,
      pointsRedeemed: d.points_redeemed,
      pointsReversed: d.points_reversed,
      pointsGivenBack: d.points_given_back,
      pointsExpired: d.points_expired,
      pointsImported: d.points_imported,
    })),
  };
}

@Service()
export class ReportsClient {
  readonly #http = inject(HttpClient);

  /**
   * The caller's summary for `range`. `quiet` keeps an outage off the app-wide banner, for
   * callers that show "Reports unavailable" in place (the dashboard).
   */
  async summary(range: DateRange = {}, options: { quiet?: boolean } = {}): Promise<ReportSummary> {
    const params: Record<string, string | number> = { limit: TOP_CUSTOMERS };
    if (range.from) {
      params['from'] = range.from;
    }
    if (range.to) {
      params['to'] = range.to;
    }
    const context = new HttpContext().set(QUIET, options.quiet ?? false);
    const raw = await apiCall(
      this.#http.get<SummaryResponse>('/reports/summary', { params, context }),
    );
    return toReportSummary(raw);
  }
}
