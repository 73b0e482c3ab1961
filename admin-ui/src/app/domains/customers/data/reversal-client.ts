/**
 * Refunds on the loyalty service: `POST /transactions/{transaction_id}/reverse`
 * `{amount?, reason?}` → 201 `{transaction_id, reversed_transaction_id, points, shortfall,
 * amount, total_points}`. Any staff member may reverse their own business's transactions: a
 * purchase in whole or in part (`amount`, the money refunded), a redemption or a referral
 * bonus in whole. Refusals change nothing: 409 `AlreadyReversed`, `ReversalTooLarge`,
 * `NotReversible`, 422 `AmountNotApplicable`, 404 `TransactionNotFound`, 403
 * `BusinessNotActive`. Sent with an `Idempotency-Key` (see `IdempotencyKeys`).
 */
import { HttpClient } from '@angular/common/http';
import { Service, inject } from '@angular/core';

import { apiCall } from '../../../core/http/api-call';

export interface ReversalRequest {
  /** The money refunded (a decimal string), for part of a purchase; absent: all of it. */
  readonly amount?: string;
  /** Why, as typed (1–200 characters); absent: the server writes "Refund". */
  readonly reason?: string;
}

export interface Reversal {
  /** The new `reversal` row. */
  readonly transactionId: number;
  readonly reversedTransactionId: number;
  /** The balance's change, signed: − points taken back, + points given back. */
  readonly points: number;
  /** Points that should have been taken back but were already spent. */
  readonly shortfall: number;
  /** The money refunded (purchases only), a decimal string. */
  readonly amount: string | null;
  /** The customer's balance afterwards (coalition-wide). */
  readonly totalPoints: number;
}

interface ReversalResponse {
  transaction_id: number;
  reversed_transaction_id: number;
  points: number;
  shortfall: number;
  amount: string | null;
  total_points: number;
}

@Service()
export class ReversalClient {
  readonly #http = inject(HttpClient);

  /** Reverse transaction `transactionId` (see the file comment). */
  async reverse(
    transactionId: number,
    request: ReversalRequest,
    idempotencyKey: string,
  ): Promise<Reversal> {
    const body: Record<string, string> = {};
    if (request.amount) {
      body['amount'] = request.amount;
    }
    if (request.reason) {
      body['reason'] = request.reason;
    }
    const raw = await apiCall(
      this.#http.post<ReversalResponse>(`/transactions/${transactionId}/reverse`, body, {
        headers: { 'Idempotency-Key': idempotencyKey },
      }),
    );
    return {
      transactionId: raw.transaction_id,
      reversedTransactionId: raw.reversed_transaction_id,
      points: raw.points,
      shortfall: raw.shortfall,
      amount: raw.amount === null ? null : String(raw.amount),
      totalPoints: raw.total_points,
    };
  }
}
