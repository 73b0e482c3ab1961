/**
 * The signed-in business, from `GET /auth/me` (identity only: id, name, contact, email).
 *
 * Loaded by a resource keyed on the token, so signing in loads it, signing out clears it, and
 * pages under the shell can read `businessId()` without each fetching it again.
 */
import { HttpClient } from '@angular/common/http';
import { Service, computed, inject, resource } from '@angular/core';
import { firstValueFrom } from 'rxjs';

import { toApiError } from '../http/api-error';
import { AuthStore } from './auth-store';

/** The business as it sees itself (`GET /auth/me`). */
export interface BusinessIdentity {
  readonly id: number;
  readonly name: string;
  readonly contactPerson: string;
  readonly email: string;
  readonly createdAt: string;
}

interface MeResponse {
  id: number;
  name: string;
  contact_person: string;
  email: string;
  created_at: string;
}

/** Map the wire shape of `GET /auth/me`. */
export function toBusinessIdentity(raw: MeResponse): BusinessIdentity {
  return {
    id: raw.id,
    name: raw.name,
    contactPerson: raw.contact_person,
    email: raw.email,
    createdAt: raw.created_at,
  };
}

@Service()
export class Session {
  readonly #http = inject(HttpClient);
  readonly #auth = inject(AuthStore);

  readonly #me = resource({
    params: () => this.#auth.token() ?? undefined,
    loader: async () => {
      try {
        return toBusinessIdentity(await firstValueFrom(this.#http.get<MeResponse>('/auth/me')));
      } catch (error) {
        throw toApiError(error);
      }
    },
  });

  /** The business, or null while loading, signed out or failed. */
  readonly business = computed(() => (this.#me.hasValue() ? (this.#me.value() ?? null) : null));
  readonly businessId = computed(() => this.business()?.id ?? null);
  readonly loading = this.#me.isLoading;
  /** A readable reason when `/auth/me` failed (other than 401, which signs out). */
  readonly error = computed(() => {
    const error = this.#me.error();
    return error ? toApiError(error).detail : null;
  });

  /** Try `/auth/me` again (after an outage). */
  reload(): void {
    this.#me.reload();
  }
}
