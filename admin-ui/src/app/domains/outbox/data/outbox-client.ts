/**
 * The development SMS outbox (`GET /notifications/outbox?to=&limit=`): what the console SMS
 * provider "sent". The route exists only with the console provider; whether to offer the page
 * at all is the shell's probe (`core/layout/outbox-probe.ts`).
 */
import { HttpClient } from '@angular/common/http';
import { Service, inject } from '@angular/core';

import { apiCall } from '../../../core/http/api-call';

export interface OutboxMessage {
  readonly id: number;
  readonly to: string;
  readonly body: string;
  readonly status: string;
  readonly createdAt: string;
}

interface OutboxRow {
  id: number;
  to: string;
  body: string;
  status: string;
  created_at: string;
}

@Service()
export class OutboxClient {
  readonly #http = inject(HttpClient);

  /** Messages, newest first; `to` filters by recipient (any spelling, cleaned by the caller). */
  async list(filter: { to?: string; limit?: number } = {}): Promise<OutboxMessage[]> {
    const params: Record<string, string | number> = { limit: filter.limit ?? 100 };
    if (filter.to) {
      params['to'] = filter.to;
    }
    const rows = await apiCall(this.#http.get<OutboxRow[]>('/notifications/outbox', { params }));
    return rows
      .map((r) => ({ id: r.id, to: r.to, body: r.body, status: r.status, createdAt: r.created_at }))
      .sort((a, b) => b.createdAt.localeCompare(a.createdAt) || b.id - a.id);
  }
}
