/**
 * "Referred by" at the till: the one referrals call the till makes, shared here because the
 * till and the referrals page are two domains.
 *
 * - `POST /referrals/track` `{business_id, new_customer_phone_number, referrer_phone_number?,
 *   referral_code_used?}` → 201 referral (`status: "pending"`). The referrer must be a
 *   customer of this shop (422 `ReferrerNotACustomer`), or be the customer who invited this
 *   friend from the portal; a code must be one of theirs (422 `UnknownReferralCode`). The same
 *   friend and referrer again answers with the referral already recorded; another referrer for
 *   a friend this shop already recorded is 409 `AlreadyReferred`.
 *
 * What the cashier types is either the referrer's phone number or their 6-character referral
 * code (from the invitation SMS): `referredByProblem` checks it, `referrerFields` turns it into
 * the request's fields.
 */
import { HttpClient } from '@angular/common/http';
import { Service, inject } from '@angular/core';

import { apiCall } from '../../../core/http/api-call';
import { cleanPhone, phoneProblem } from '../util/phone';

/** Referral codes: 6 characters, digits 2-9 and letters except I, L and O (case-insensitive). */
const CODE = /^[2-9A-HJKMNP-Z]{6}$/;

/** A referral code as typed (`k7p-x2m`), canonical (`K7PX2M`); null when it is not one. */
export function asReferralCode(raw: string): string | null {
  const value = raw.replace(/[\s-]/g, '').toUpperCase();
  return CODE.test(value) ? value : null;
}

/** A message when the optional "referred by" is neither a phone number nor a code, else null. */
export function referredByProblem(raw: string): string | null {
  if (raw.trim() === '' || asReferralCode(raw) !== null || phoneProblem(raw) === null) {
    return null;
  }
  return "Enter the referrer's phone number or their 6-character referral code.";
}

/** The request's referrer fields for what was typed (a code, else a phone number). */
export function referrerFields(raw: string): {
  referrer_phone_number?: string;
  referral_code_used?: string;
} {
  const code = asReferralCode(raw);
  return code ? { referral_code_used: code } : { referrer_phone_number: cleanPhone(raw) };
}

export interface TrackedReferral {
  readonly id: number;
  /** Who referred the new customer (E.164). */
  readonly referrerPhoneNumber: string;
}

@Service()
export class ReferralTracking {
  readonly #http = inject(HttpClient);

  /** Record that `newCustomer` was referred by `referredBy` (a phone number or a code). */
  async track(
    businessId: number,
    newCustomer: string,
    referredBy: string,
    idempotencyKey: string,
  ): Promise<TrackedReferral> {
    const raw = await apiCall(
      this.#http.post<{ id: number; referrer_phone_number: string }>(
        '/referrals/track',
        {
          business_id: businessId,
          new_customer_phone_number: newCustomer,
          ...referrerFields(referredBy),
        },
        { headers: { 'Idempotency-Key': idempotencyKey } },
      ),
    );
    return { id: raw.id, referrerPhoneNumber: raw.referrer_phone_number };
  }
}
