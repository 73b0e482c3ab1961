/**
 * The business's referrals on the referrals service: `GET /referrals?status=pending|completed`
 * and `POST /referrals/complete {referral_id, points_to_award_referrer}`.
 *
 * DESIGN.md names the routes but not every field of a referral; the mapping below (one place)
 * reads `{id, new_customer_phone_number, referrer_phone_number, referral_code_used, status,
 * created_at, completed_at, points_awarded_referrer}` and tolerates missing optional fields.
 */
import { HttpClient } from '@angular/common/http';
import { Service, inject } from '@angular/core';

import { apiCall } from '../../../core/http/api-call';

export type ReferralStatus = 'pending' | 'completed';

export interface Referral {
  readonly id: number;
  readonly newCustomerPhoneNumber: string;
  readonly referrerPhoneNumber: string | null;
  readonly referralCode: string | null;
  readonly status: ReferralStatus;
  readonly createdAt: string | null;
  readonly completedAt: string | null;
  readonly pointsAwarded: number | null;
}

type Json = Record<string, unknown>;

function str(value: unknown): string | null {
  return typeof value === 'string' && value !== '' ? value : null;
}

/** Map one referral (see the file comment for the expected fields). */
export function toReferral(raw: Json): Referral {
  const points =
    raw['points_awarded_referrer'] ?? raw['points_to_award_referrer'] ?? raw['points_awarded'];
  return {
    id: Number(raw['id']),
    newCustomerPhoneNumber: str(raw['new_customer_phone_number']) ?? '',
    referrerPhoneNumber: str(raw['referrer_phone_number']),
    referralCode: str(raw['referral_code_used']) ?? str(raw['referral_code']),
    status: raw['status'] === 'completed' ? 'completed' : 'pending',
    createdAt: str(raw['created_at']),
    completedAt: str(raw['completed_at']),
    pointsAwarded: typeof points === 'number' ? points : null,
  };
}

@Service()
export class ReferralsClient {
  readonly #http = inject(HttpClient);

  /** This business's referrals with `status`, as the service orders them. */
  async list(status: ReferralStatus): Promise<Referral[]> {
    const raw = await apiCall(
      this.#http.get<Json[] | { referrals: Json[] }>('/referrals', { params: { status } }),
    );
    const rows = Array.isArray(raw) ? raw : (raw?.referrals ?? []);
    return rows.map(toReferral);
  }

  /**
   * Complete a referral: the referrer gets `points` as a bonus, exactly once (a second
   * completion is a 409). The idempotency key makes a retried tap safe.
   */
  async complete(referralId: number, points: number, idempotencyKey: string): Promise<Referral> {
    const raw = await apiCall(
      this.#http.post<Json>(
        '/referrals/complete',
        { referral_id: referralId, points_to_award_referrer: points },
        { headers: { 'Idempotency-Key': idempotencyKey } },
      ),
    );
    return toReferral(raw);
  }
}
