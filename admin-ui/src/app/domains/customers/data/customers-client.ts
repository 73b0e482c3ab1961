/**
 * A customer as this business sees them, and redeeming their points, on the loyalty service:
 *
 * - `GET /businesses/{id}/customers/{phone}` → `{phone_number, total_points, transactions:
 *   [transaction row]}` (coalition-wide balance, this business's history, newest first); a
 *   number that never earned points anywhere is a 404 `CustomerNotFound`;
 * - `POST /transactions/redeem_points` → `{transaction_id, points_redeemed, total_points}`.
 *   Refusals (nothing changes): 409 `InsufficientPoints`; 404 `RewardNotFound`; 422
 *   `RewardInactive` (deactivated meanwhile) or `RewardCostMismatch` (its cost changed).
 */
import { HttpClient } from '@angular/common/http';
import { Service, inject } from '@angular/core';

import { apiCall } from '../../../core/http/api-call';
import { ApiError } from '../../../core/http/api-error';
import { Transaction, TransactionRow, toTransaction } from '../../shared/data/transaction';

export interface Customer {
  /** E.164, as the server normalised it. */
  readonly phoneNumber: string;
  /** The coalition-wide balance (points from every business). */
  readonly totalPoints: number;
  /** Earned and redeemed at this business, newest first. */
  readonly transactions: readonly Transaction[];
}

export interface Redemption {
  readonly businessId: number;
  readonly customerPhoneNumber: string;
  readonly pointsToRedeem: number;
  readonly rewardDescription: string;
  readonly rewardId?: number;
}

export interface Redeemed {
  readonly transactionId: number;
  readonly pointsRedeemed: number;
  readonly totalPoints: number;
}

/** The error codes that mean "that catalog reward can no longer be redeemed so". */
export const REWARD_REFUSALS: ReadonlySet<string> = new Set([
  'RewardNotFound',
  'RewardInactive',
  'RewardCostMismatch',
]);

/** True for the 404 of a number that is not a customer (not for any other 404). */
export function isCustomerNotFound(error: unknown): boolean {
  return error instanceof ApiError && error.status === 404 && error.code === 'CustomerNotFound';
}

interface CustomerResponse {
  phone_number: string;
  total_points: number;
  transactions: TransactionRow[];
}

interface RedeemResponse {
  transaction_id: number;
  points_redeemed: number;
  total_points: number;
}

@Service()
export class CustomersClient {
  readonly #http = inject(HttpClient);

  /**
   * Look a customer up by phone (any spelling; the server normalises). Unknown: ApiError 404
   * `CustomerNotFound` (see `isCustomerNotFound`).
   */
  async customer(businessId: number, phoneNumber: string): Promise<Customer> {
    const raw = await apiCall(
      this.#http.get<CustomerResponse>(
        `/businesses/${businessId}/customers/${encodeURIComponent(phoneNumber)}`,
      ),
    );
    return {
      phoneNumber: raw.phone_number,
      totalPoints: raw.total_points,
      transactions: raw.transactions.map(toTransaction),
    };
  }

  /** Redeem points. Refused (see the file comment): ApiError and nothing changes. */
  async redeem(redemption: Redemption, idempotencyKey: string): Promise<Redeemed> {
    const body: Record<string, unknown> = {
      business_id: redemption.businessId,
      customer_phone_number: redemption.customerPhoneNumber,
      points_to_redeem: redemption.pointsToRedeem,
      reward_description: redemption.rewardDescription,
    };
    if (redemption.rewardId !== undefined) {
      body['reward_id'] = redemption.rewardId;
    }
    const raw = await apiCall(
      this.#http.post<RedeemResponse>('/transactions/redeem_points', body, {
        headers: { 'Idempotency-Key': idempotencyKey },
      }),
    );
    return {
      transactionId: raw.transaction_id,
      pointsRedeemed: raw.points_redeemed,
      totalPoints: raw.total_points,
    };
  }
}
