/**
 * The development SMS outbox (`GET /notifications/outbox?to=&limit=`): what the console SMS
 * provider "sent". The route exists only with the console provider, so `available()` (a quiet
 * probe) tells the navigation whether to offer the page at all.
 */
import { HttpClient } from '@angular/common/http';
import { Service, inject } from '@angular/core';

import { apiCall } from '../../../core/http/api-call';
import { quiet } from '../../../core/http/http-context';

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

  /** True when the outbox route answers (development, console provider); false on 404 or any failure. */
  async available(): Promise<boolean> {
    try {
      await apiCall(
        this.#http.get<unknown>('/notifications/outbox', {
          params: { limit: 1 },
          context: quiet(),
        }),
      );
      return true;
    } catch {
      return false;
    }
  }
}
