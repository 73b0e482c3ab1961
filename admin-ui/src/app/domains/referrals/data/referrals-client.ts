/**
 * The business's referrals on the referrals service, mapped in this one file:
 *
 * - `GET /referrals?status=&limit=` → `{items: [referral], total}` (newest first);
 * - `POST /referrals/complete {referral_id, points_to_award_referrer}` → the completed referral.
 *
 * A referral on the wire: `{id, business_id, referrer_phone_number, referred_phone_number,
 * status, referral_code_used, points_awarded, loyalty_transaction_id, created_at, tracked_at,
 * completed_at}` (nullable: business_id, referral_code_used, points_awarded,
 * loyalty_transaction_id, tracked_at, completed_at).
 */
import { HttpClient } from '@angular/common/http';
import { Service, inject } from '@angular/core';

import { apiCall } from '../../../core/http/api-call';

export type ReferralStatus = 'pending' | 'completed';

export interface Referral {
  readonly id: number;
  /** The new customer (E.164). */
  readonly referredPhoneNumber: string;
  /** Who brought them (E.164). */
  readonly referrerPhoneNumber: string;
  readonly referralCode: string | null;
  readonly status: ReferralStatus;
  readonly createdAt: string;
  readonly completedAt: string | null;
  /** The referrer's bonus, once completed. */
  readonly pointsAwarded: number | null;
}

export interface ReferralPage {
  /** At most `limit` referrals, newest first. */
  readonly referrals: readonly Referral[];
  /** How many referrals with that status there are in all. */
  readonly total: number;
}

/** The wire shape of one referral (the fields the app reads). */
export interface ReferralResponse {
  id: number;
  business_id: number | null;
  referrer_phone_number: string;
  referred_phone_number: string;
  status: ReferralStatus;
  referral_code_used: string | null;
  points_awarded: number | null;
  loyalty_transaction_id: number | null;
  created_at: string;
  tracked_at: string | null;
  completed_at: string | null;
}

interface ReferralPageResponse {
  items: ReferralResponse[];
  total: number;
}

/** How many referrals one page shows (the service allows up to 200). */
export const REFERRAL_PAGE_SIZE = 100;

export function toReferral(raw: ReferralResponse): Referral {
  return {
    id: raw.id,
    referredPhoneNumber: raw.referred_phone_number,
    referrerPhoneNumber: raw.referrer_phone_number,
    referralCode: raw.referral_code_used,
    status: raw.status,
    createdAt: raw.created_at,
    completedAt: raw.completed_at,
    pointsAwarded: raw.points_awarded,
  };
}

@Service()
export class ReferralsClient {
  readonly #http = inject(HttpClient);

  /** This business's referrals with `status`, newest first, and how many there are. */
  async list(status: ReferralStatus, limit = REFERRAL_PAGE_SIZE): Promise<ReferralPage> {
    const raw = await apiCall(
      this.#http.get<ReferralPageResponse>('/referrals', { params: { status, limit } }),
    );
    return { referrals: raw.items.map(toReferral), total: raw.total };
  }

  /**
   * Complete a referral: the referrer gets `points` as a bonus, exactly once (a second
   * completion is a 409). The idempotency key makes a retried tap safe.
   */
  async complete(referralId: number, points: number, idempotencyKey: string): Promise<Referral> {
    const raw = await apiCall(
      this.#http.post<ReferralResponse>(
        '/referrals/complete',
        { referral_id: referralId, points_to_award_referrer: points },
        { headers: { 'Idempotency-Key': idempotencyKey } },
      ),
    );
    return toReferral(raw);
  }
}
