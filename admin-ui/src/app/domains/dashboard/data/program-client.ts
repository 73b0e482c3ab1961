/**
 * Changing the business's loyalty program and reading its ledger on the loyalty service: the
 * rate (`POST /businesses/{id}/loyalty_rules`) and the latest transactions
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
}
