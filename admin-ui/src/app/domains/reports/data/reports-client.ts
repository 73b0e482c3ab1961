/**
 * The reports service's summary (`GET /reports/summary?from=&to=`), mapped in this one file.
 *
 * The reports service is not built yet, so the wire shape below is a guess kept deliberately
 * in one place (`toReportSummary`): when the service lands, adjust the mapping here and every
 * page follows. The mapping is lenient: a missing figure reads as 0, a missing list as empty,
 * and `total_redemptions` may be an object `{count, points}` or a bare count.
 *
 * Guessed shape:
 * ```json
 * { "total_points_issued": 1200,
 *   "total_redemptions": { "count": 4, "points": 350 },
 *   "customer_count": 31,
 *   "top_customers": [{ "phone_number": "+263771234567", "points_earned": 300 }],
 *   "daily": [{ "date": "2026-11-01", "points_issued": 40, "points_redeemed": 0 }] }
 * ```
 */
import { HttpClient, HttpContext } from '@angular/common/http';
import { Service, inject } from '@angular/core';

import { apiCall } from '../../../core/http/api-call';
import { QUIET } from '../../../core/http/http-context';

export interface TopCustomer {
  readonly phoneNumber: string;
  readonly pointsEarned: number;
}

export interface DailyPoints {
  /** `YYYY-MM-DD`. */
  readonly date: string;
  readonly pointsIssued: number;
  readonly pointsRedeemed: number;
}

export interface ReportSummary {
  readonly totalPointsIssued: number;
  readonly redemptionsCount: number;
  readonly redemptionsPoints: number;
  readonly customerCount: number;
  readonly topCustomers: readonly TopCustomer[];
  readonly daily: readonly DailyPoints[];
}

/** An inclusive date range, `YYYY-MM-DD`; either end may be left open. */
export interface DateRange {
  readonly from?: string;
  readonly to?: string;
}

type Json = Record<string, unknown>;

function record(value: unknown): Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Json)
    : {};
}

function num(value: unknown): number {
  const n = typeof value === 'string' ? Number(value) : value;
  return typeof n === 'number' && Number.isFinite(n) ? n : 0;
}

function list(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

/** Map the (guessed) summary JSON; see the file comment. */
export function toReportSummary(raw: unknown): ReportSummary {
  const body = record(raw);
  const redemptions = body['total_redemptions'];
  const redemptionsRecord = record(redemptions);
  return {
    totalPointsIssued: num(body['total_points_issued']),
    redemptionsCount:
      typeof redemptions === 'number' ? redemptions : num(redemptionsRecord['count']),
    redemptionsPoints: num(redemptionsRecord['points'] ?? body['total_points_redeemed']),
    customerCount: num(body['customer_count']),
    topCustomers: list(body['top_customers'])
      .map(record)
      .map((c) => ({
        phoneNumber: String(c['phone_number'] ?? ''),
        pointsEarned: num(c['points_earned'] ?? c['points']),
      }))
      .filter((c) => c.phoneNumber !== '')
      .slice(0, 5),
    daily: list(body['daily'])
      .map(record)
      .map((d) => ({
        date: String(d['date'] ?? ''),
        pointsIssued: num(d['points_issued']),
        pointsRedeemed: num(d['points_redeemed']),
      }))
      .filter((d) => d.date !== '')
      .sort((a, b) => a.date.localeCompare(b.date)),
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
    const params: Record<string, string> = {};
    if (range.from) {
      params['from'] = range.from;
    }
    if (range.to) {
      params['to'] = range.to;
    }
    const context = new HttpContext().set(QUIET, options.quiet ?? false);
    const raw = await apiCall(this.#http.get<unknown>('/reports/summary', { params, context }));
    return toReportSummary(raw);
  }
}
