/**
 * Calls to the auth service for signing in, registering a business and resetting a password:
 * `POST /auth/login_business` → `{access_token, token_type, expires_in, refresh_token?}` (the
 * refresh token only from an auth service with shift-long sessions; without it the session
 * ends with the access token, as before), `POST /auth/register_business`,
 * `POST /auth/password_reset/request {email}` → 202 whether or not the address is known, and
 * `POST /auth/password_reset/confirm {token, password}`.
 */
import { HttpClient } from '@angular/common/http';
import { Service, inject } from '@angular/core';

import { SessionTokens } from '../../../core/auth/auth-store';
import { apiCall } from '../../../core/http/api-call';

export interface Registration {
  readonly name: string;
  readonly contactPerson: string;
  readonly email: string;
  readonly password: string;
  /** Points per unit of money as a decimal string; omitted for the platform default. */
  readonly loyaltyRate?: string;
}

interface TokenResponse {
  access_token: string;
  token_type: string;
  expires_in: number;
  refresh_token?: string | null;
}

@Service()
export class AuthClient {
  readonly #http = inject(HttpClient);

  /** Exchange credentials for the session's tokens. Wrong credentials: ApiError 401. */
  async login(email: string, password: string): Promise<SessionTokens> {
    const body = { email: email.trim(), password };
    const response = await apiCall(this.#http.post<TokenResponse>('/auth/login_business', body));
    return { accessToken: response.access_token, refreshToken: response.refresh_token ?? null };
  }

  /** Ask for a reset link by e-mail; the answer is the same for unknown addresses. */
  async requestPasswordReset(email: string): Promise<void> {
    await apiCall(this.#http.post('/auth/password_reset/request', { email: email.trim() }));
  }

  /** Set a new password with the token from the e-mailed link. */
  async confirmPasswordReset(token: string, password: string): Promise<void> {
    await apiCall(this.#http.post('/auth/password_reset/confirm', { token, password }));
  }

  /** Create a business account. Duplicate email: ApiError 409. */
  async register(registration: Registration): Promise<void> {
    const body: Record<string, string> = {
      name: registration.name.trim(),
      contact_person: registration.contactPerson.trim(),
      email: registration.email.trim(),
      password: registration.password,
    };
    if (registration.loyaltyRate !== undefined && registration.loyaltyRate.trim() !== '') {
      body['loyalty_rate'] = registration.loyaltyRate.trim();
    }
    await apiCall(this.#http.post('/auth/register_business', body));
  }
}
