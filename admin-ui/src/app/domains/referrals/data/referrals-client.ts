/**
 * The business's referrals on the referrals service, mapped in this one file:
 *
 * - `GET /referrals?status=&limit=` → `{items: [referral], total}` (newest first);
 * - `POST /referrals/complete {referral_id, points_to_award_referrer}` → the completed
 *   referral; 409 `NoPurchaseYet` until the friend has bought something at this shop;
 * - `GET /referrals/settings` → `{business_id, default_bonus_points, max_bonus_points}`;
 *   `PUT /referrals/settings {default_bonus_points}` (owner) → the same.
 *
 * A referral on the wire: `{id, business_id, referrer_phone_number, referred_phone_number,
 * status, referral_code_used, points_awarded, loyalty_transaction_id, created_at, tracked_at,
 * completed_at, first_purchase_at}` (nullable: business_id, referral_code_used,
 * points_awarded, loyalty_transaction_id, tracked_at, completed_at, first_purchase_at).
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
  /** When the new customer first bought here; null until then (completing waits for it). */
  readonly firstPurchaseAt: string | null;
}

/** The shop's referral settings. */
export interface ReferralSettings {
  /** The bonus offered when completing a referral. */
  readonly defaultBonusPoints: number;
  /** The most one referral may pay (set by the platform). */
  readonly maxBonusPoints: number;
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
  first_purchase_at: string | null;
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
    firstPurchaseAt: raw.first_purchase_at,
  };
}

interface SettingsResponse {
  business_id: number;
  default_bonus_points: number;
  max_bonus_points: number;
}

function toSettings(raw: SettingsResponse): ReferralSettings {
  return { defaultBonusPoints: raw.default_bonus_points, maxBonusPoints: raw.max_bonus_points };
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

  /** The shop's referral settings (the default bonus). */
  async settings(): Promise<ReferralSettings> {
    return toSettings(await apiCall(this.#http.get<SettingsResponse>('/referrals/settings')));
  }

  /** Set the bonus offered by default when completing a referral (owners only). */
  async saveSettings(defaultBonusPoints: number): Promise<ReferralSettings> {
    const raw = await apiCall(
      this.#http.put<SettingsResponse>('/referrals/settings', {
        default_bonus_points: defaultBonusPoints,
      }),
    );
    return toSettings(raw);
  }
}
