/**
 * The business's staff accounts on the auth service (owner only; a cashier gets 403
 * `OwnerOnly`):
 *
 * - `GET /auth/staff` → `[{id, name, email, role: "owner"|"cashier", created_at}]`;
 * - `POST /auth/staff` `{name, email, password, role}` → 201 the new member (409 when the
 *   e-mail is taken);
 * - `DELETE /auth/staff/{id}` → 204 (their sessions end).
 *
 * Each member signs in with their own e-mail and password on the usual sign-in page.
 */
import { HttpClient } from '@angular/common/http';
import { Service, inject } from '@angular/core';

import { StaffRole } from '../../../core/auth/auth-store';
import { apiCall } from '../../../core/http/api-call';

export interface StaffMember {
  readonly id: number;
  readonly name: string;
  readonly email: string;
  readonly role: StaffRole;
  readonly createdAt: string | null;
}

export interface NewStaffMember {
  readonly name: string;
  readonly email: string;
  readonly password: string;
  readonly role: StaffRole;
}

/** The wire shape of a staff member. */
export interface StaffResponse {
  id: number;
  name: string;
  email: string;
  role: string;
  created_at?: string | null;
}

export function toStaffMember(raw: StaffResponse): StaffMember {
  return {
    id: raw.id,
    name: raw.name,
    email: raw.email,
    role: raw.role === 'cashier' ? 'cashier' : 'owner',
    createdAt: raw.created_at ?? null,
  };
}

@Service()
export class StaffClient {
  readonly #http = inject(HttpClient);

  /** Everyone who can sign in for the business. */
  async list(): Promise<StaffMember[]> {
    const rows = await apiCall(
      this.#http.get<StaffResponse[] | { items: StaffResponse[] }>('/auth/staff'),
    );
    return (Array.isArray(rows) ? rows : rows.items).map(toStaffMember);
  }

  async add(member: NewStaffMember): Promise<StaffMember> {
    return toStaffMember(
      await apiCall(
        this.#http.post<StaffResponse>('/auth/staff', {
          name: member.name.trim(),
          email: member.email.trim(),
          password: member.password,
          role: member.role,
        }),
      ),
    );
  }

  async remove(id: number): Promise<void> {
    await apiCall(this.#http.delete(`/auth/staff/${id}`));
  }
}
