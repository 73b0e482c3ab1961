/**
 * Whether the development SMS outbox exists here: `GET /notifications/outbox` answers only
 * with the console SMS provider (development). The shell asks once to decide whether to offer
 * the "SMS outbox" page; the probe is quiet, so its 404 or an outage never raises the banner.
 */
import { HttpClient } from '@angular/common/http';
import { Service, inject } from '@angular/core';

import { apiCall } from '../http/api-call';
import { quiet } from '../http/http-context';

@Service()
export class OutboxProbe {
  readonly #http = inject(HttpClient);

  /** True when the outbox route answers; false on 404 or any failure. */
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
