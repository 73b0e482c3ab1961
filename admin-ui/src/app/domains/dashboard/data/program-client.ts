/**
 * Changing the business's loyalty program and reading its ledger on the loyalty service: the
 * rules (`POST /businesses/{id}/loyalty_rules` `{loyalty_rate, points_expire_after_days}`,
 * days 1–3650 or null = never) and the latest transactions
 * (`GET /businesses/{id}/transactions?limit=`). Reading the program itself is shared with the
 * till (`domains/shared/data/ledger-client.ts`).
 */
import { HttpClient } from '@angular/common/http';
import { Service, inject } from '@angular/core';

import { apiCall } from '../../../core/http/api-call';
import { Program, ProgramResponse, toProgram } from '../../shared/data/ledger-client';
import { Transaction, TransactionRow, toTransaction } from '../../shared/data/transaction';

@Service()
export class ProgramClient {
  readonly #http = inject(HttpClient);

  /**
   * Set the loyalty rules: the rate (a decimal string ≥ 0 with at most 4 places) and when
   * points earned from now on expire (whole days, or null: never).
   */
  async setLoyaltyRules(
    businessId: number,
    loyaltyRate: string,
    pointsExpireAfterDays: number | null,
  ): Promise<Program> {
    const raw = await apiCall(
      this.#http.post<ProgramResponse>(`/businesses/${businessId}/loyalty_rules`, {
        loyalty_rate: loyaltyRate,
        points_expire_after_days: pointsExpireAfterDays,
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
}
