/**
 * The business's loyalty program and ledger on the loyalty service: the program and its rate
 * (`GET /businesses/{id}`, `POST /businesses/{id}/loyalty_rules`), awarding points
 * (`POST /transactions/add_points`) and the latest transactions
 * (`GET /businesses/{id}/transactions?limit=`).
 */
import { HttpClient } from '@angular/common/http';
import { Service, inject } from '@angular/core';

import { apiCall } from '../../../core/http/api-call';
import { Transaction, TransactionRow, toTransaction } from '../../shared/data/transaction';

export interface Program {
  readonly id: number;
  readonly name: string;
  /** Points per unit of money, as the decimal string the API sends. */
  readonly loyaltyRate: string;
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

interface ProgramResponse {
  id: number;
  name: string;
  /** A decimal string, e.g. `"1.5000"`. */
  loyalty_rate: string;
}

interface AddPointsResponse {
  transaction_id: number;
  customer_phone_number: string;
  points_earned: number;
  total_points: number;
}

function toProgram(raw: ProgramResponse): Program {
  return { id: raw.id, name: raw.name, loyaltyRate: raw.loyalty_rate };
}

@Service()
export class ProgramClient {
  readonly #http = inject(HttpClient);

  async program(businessId: number): Promise<Program> {
    return toProgram(await apiCall(this.#http.get<ProgramResponse>(`/businesses/${businessId}`)));
  }

  /** Set the loyalty rate (a decimal string ≥ 0 with at most 4 places). */
  async setLoyaltyRate(businessId: number, loyaltyRate: string): Promise<Program> {
    const raw = await apiCall(
      this.#http.post<ProgramResponse>(`/businesses/${businessId}/loyalty_rules`, {
        loyalty_rate: loyaltyRate,
      }),
    );
    return toProgram(raw);
  }

  /** This business's latest transactions, newest first. */
  async recentTransactions(businessId: number, limit = 10): Promise<Transaction[]> {
    const rows = await apiCall(
      this.#http.get<TransactionRow[]>(`/businesses/${businessId}/transactions`, {
        params: { limit },
      }),
    );
    return rows.map(toTransaction);
  }

  /**
   * Award points for a purchase. `idempotencyKey` makes a repeated submission (double tap,
   * retry after a lost answer) return the first result instead of awarding twice.
   */
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
}
