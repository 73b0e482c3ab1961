/**
 * Calls to the auth service for signing in and registering a business
 * (`POST /auth/login_business`, `POST /auth/register_business`).
 */
import { HttpClient } from '@angular/common/http';
import { Service, inject } from '@angular/core';

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
}

@Service()
export class AuthClient {
  readonly #http = inject(HttpClient);

  /** Exchange credentials for a bearer token. Wrong credentials: ApiError 401. */
  async login(email: string, password: string): Promise<string> {
    const body = { email: email.trim(), password };
    const response = await apiCall(this.#http.post<TokenResponse>('/auth/login_business', body));
    return response.access_token;
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
