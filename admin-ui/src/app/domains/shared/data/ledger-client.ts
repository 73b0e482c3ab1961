/**
 * The till's calls to the loyalty service, shared by the till and the customers page:
 *
 * - `GET /businesses/{id}` → `{id, name, loyalty_rate, points_expire_after_days}`: the
 *   program (its rate, a decimal string such as `"1.5000"`; days until points expire, null:
 *   never);
 * - `GET /businesses/{id}/customers/{phone}` → `{phone_number, total_points, transactions:
 *   [transaction row]}` (coalition-wide balance, this business's history, newest first); a
 *   number this business has never served is a 404 `CustomerNotFound`;
 * - `POST /transactions/add_points` `{business_id, customer_phone_number, amount_spent}` →
 *   201 `{transaction_id, customer_phone_number, points_earned, total_points}`;
 * - `POST /transactions/redemption_codes` `{business_id, customer_phone_number}` → 202: the
 *   customer gets an SMS with a 6-digit code (valid 10 minutes, for this shop's visit);
 * - `POST /transactions/redeem_points` `{business_id, customer_phone_number,
 *   points_to_redeem, reward_description, reward_id?, customer_code?}` → 201
 *   `{transaction_id, points_redeemed, total_points}`. Refusals change nothing: 428
 *   `CustomerCodeRequired`, 403 `InvalidCustomerCode`, 409 `InsufficientPoints`, 404
 *   `RewardNotFound`, 422 `RewardInactive` / `RewardCostMismatch`.
 *
 * Writes carry an `Idempotency-Key` (see `IdempotencyKeys`).
 */
import { HttpClient } from '@angular/common/http';
import { Service, inject } from '@angular/core';

import { apiCall } from '../../../core/http/api-call';
import { ApiError } from '../../../core/http/api-error';
import { Transaction, TransactionRow, toTransaction } from './transaction';

export interface Program {
  readonly id: number;
  readonly name: string;
  /** Points per unit of money, as the decimal string the API sends. */
  readonly loyaltyRate: string;
  /** Points earned here expire this many days later; null: never. */
  readonly pointsExpireAfterDays: number | null;
}

export interface Customer {
  /** E.164, as the server normalised it. */
  readonly phoneNumber: string;
  /** The coalition-wide balance (points from every business). */
  readonly totalPoints: number;
  /** Earned and redeemed at this business, newest first. */
  readonly transactions: readonly Transaction[];
}

export interface AddPoints {
  readonly businessId: number;
  readonly customerPhoneNumber: string;
  /** Decimal string with at most 2 places (money never goes through a float). */
  readonly amountSpent: string;
}

export interface PointsAdded {
  readonly transactionId: number;
  readonly customerPhoneNumber: string;
  readonly pointsEarned: number;
  readonly totalPoints: number;
}

export interface Redemption {
  readonly businessId: number;
  readonly customerPhoneNumber: string;
  readonly pointsToRedeem: number;
  readonly rewardDescription: string;
  readonly rewardId?: number;
  /** The 6-digit code the customer received by SMS, once asked for. */
  readonly customerCode?: string;
}

export interface Redeemed {
  readonly transactionId: number;
  readonly pointsRedeemed: number;
  readonly totalPoints: number;
}

/** The wire shape of the program. */
export interface ProgramResponse {
  id: number;
  name: string;
  /** A decimal string, e.g. `"1.5000"`. */
  loyalty_rate: string;
  /** Absent from services older than point expiry (then: never). */
  points_expire_after_days?: number | null;
}

interface CustomerResponse {
  phone_number: string;
  total_points: number;
  transactions: TransactionRow[];
}

interface AddPointsResponse {
  transaction_id: number;
  customer_phone_number: string;
  points_earned: number;
  total_points: number;
}

interface RedeemResponse {
  transaction_id: number;
  points_redeemed: number;
  total_points: number;
}

/** The error names that mean "that catalog reward can no longer be redeemed so". */
export const REWARD_REFUSALS: ReadonlySet<string> = new Set([
  'RewardNotFound',
  'RewardInactive',
  'RewardCostMismatch',
]);

/** True for the 404 of a number that is not (yet) this business's customer. */
export function isCustomerNotFound(error: unknown): boolean {
  return error instanceof ApiError && error.status === 404 && error.code === 'CustomerNotFound';
}

/** The app's program from its wire shape. */
export function toProgram(raw: ProgramResponse): Program {
  return {
    id: raw.id,
    name: raw.name,
    loyaltyRate: raw.loyalty_rate,
    pointsExpireAfterDays: raw.points_expire_after_days ?? null,
  };
}

/**
 * The points a sale earns, `floor(amount × rate)`, computed in whole cents and ten-thousandths
 * of a point so no float rounding can differ from the server's Decimal arithmetic. Null when
 * either is not a plain decimal.
 */
export function pointsFor(amountSpent: string, loyaltyRate: string): number | null {
  const amount = /^(\d+)(?:\.(\d{1,2}))?$/.exec(amountSpent.trim());
  const rate = /^(\d+)(?:\.(\d{1,4})\d*)?$/.exec(loyaltyRate.trim());
  if (!amount || !rate) {
    return null;
  }
  const cents = BigInt(amount[1]) * 100n + BigInt((amount[2] ?? '').padEnd(2, '0'));
  const rateUnits = BigInt(rate[1]) * 10_000n + BigInt((rate[2] ?? '').padEnd(4, '0'));
  return Number((cents * rateUnits) / 1_000_000n);
}

@Service()
export class LedgerClient {
  readonly #http = inject(HttpClient);

  async program(businessId: number): Promise<Program> {
    return toProgram(await apiCall(this.#http.get<ProgramResponse>(`/businesses/${businessId}`)));
  }

  /** Look a customer up by phone (any spelling; the server normalises). */
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

  /** Award points for a purchase (`idempotencyKey`: see the file comment). */
  async addPoints(request: AddPoints, idempotencyKey: string): Promise<PointsAdded> {
    const raw = await apiCall(
      this.#http.post<AddPointsResponse>(
        '/transactions/add_points',
        {
          business_id: request.businessId,
          customer_phone_number: request.customerPhoneNumber,
          amount_spent: request.amountSpent,
        },
        { headers: { 'Idempotency-Key': idempotencyKey } },
      ),
    );
    return {
      transactionId: raw.transaction_id,
      customerPhoneNumber: raw.customer_phone_number,
      pointsEarned: raw.points_earned,
      totalPoints: raw.total_points,
    };
  }

  /** Ask the loyalty service to text the customer a code that lets this shop use their points. */
  async requestRedemptionCode(businessId: number, phoneNumber: string): Promise<void> {
    await apiCall(
      this.#http.post('/transactions/redemption_codes', {
        business_id: businessId,
        customer_phone_number: phoneNumber,
      }),
    );
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
    if (redemption.customerCode) {
      body['customer_code'] = redemption.customerCode;
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
