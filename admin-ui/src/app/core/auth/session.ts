/**
 * The signed-in business, from `GET /auth/me` (identity only: id, name, contact, email).
 *
 * Loaded by a resource keyed on the signed-in person (not on the token, which a renewal
 * replaces every few minutes without changing who is signed in), so signing in loads it,
 * signing out clears it, and pages under the shell can read `businessId()` without each
 * fetching it again. The business id comes from the token's `business_id` claim when it has
 * one (a staff member's token names their business), else from `/auth/me`.
 */
import { HttpClient } from '@angular/common/http';
import { Service, computed, inject, linkedSignal, resource } from '@angular/core';
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
  /** `active`, or `pending` (awaiting an operator's approval) / `suspended`: then points
   * cannot be awarded or redeemed. Absent from an older auth service (taken as active). */
  readonly status: string;
}

interface MeResponse {
  id: number;
  name: string;
  contact_person: string;
  email: string;
  created_at: string;
  status?: string;
}

/** Map the wire shape of `GET /auth/me`. */
export function toBusinessIdentity(raw: MeResponse): BusinessIdentity {
  return {
    id: raw.id,
    name: raw.name,
    contactPerson: raw.contact_person,
    email: raw.email,
    createdAt: raw.created_at,
    status: raw.status ?? 'active',
  };
}

@Service()
export class Session {
  readonly #http = inject(HttpClient);
  readonly #auth = inject(AuthStore);

  /**
   * Who is signed in, as far as the token says: changes on sign-in and sign-out, not on a
   * renewal (same claims), nor when a token cannot be read (the server will refuse it and
   * the session is renewed or ended) — so a renewal never reloads the page under the till.
   */
  readonly #who = linkedSignal<string | null | undefined, string | undefined>({
    source: () => {
      if (!this.#auth.signedIn()) {
        return undefined;
      }
      const claims = this.#auth.claims();
      return claims.business_id === undefined
        ? null
        : `${claims.business_id}:${claims.staff_id ?? ''}:${this.#auth.role()}`;
    },
    computation: (who, previous) => (who === null ? (previous?.value ?? 'unknown') : who),
  });

  readonly #me = resource({
    params: () => this.#who(),
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
  readonly businessId = computed(() => {
    const business = this.business();
    return business ? (this.#auth.claims().business_id ?? business.id) : null;
  });
  /** Owner or cashier (from the token). */
  readonly role = this.#auth.role;
  readonly isOwner = this.#auth.isOwner;
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
