/**
 * The staff page's state: the list of people who can sign in for the business, the removal
 * being confirmed, and the outcome of the last change (one message at a time).
 * An auth service without staff accounts yet answers 404: the page says so instead of failing.
 * Provided by the page, so the state lives as long as the page.
 */
import { Service, computed, inject, resource, signal } from '@angular/core';

import { ApiError } from '../../../core/http/api-error';
import { humanMessage } from '../../shared/util/messages';
import { NewStaffMember, StaffClient, StaffMember } from '../data/staff-client';

export interface StaffMessage {
  readonly kind: 'success' | 'error';
  readonly text: string;
}

@Service({ autoProvided: false })
export class StaffStore {
  readonly #client = inject(StaffClient);

  readonly #staff = resource({ loader: () => this.#client.list() });
  readonly #message = signal<StaffMessage | null>(null);
  readonly #confirming = signal<number | null>(null);
  readonly #removing = signal(false);

  /** The staff list (loading state, error, value). */
  readonly staff = this.#staff.asReadonly();
  /** True when the auth service has no staff accounts (404 on the list). */
  readonly unsupported = computed(() => {
    const error = this.#staff.error();
    return error instanceof ApiError && error.status === 404;
  });
  readonly message = this.#message.asReadonly();
  /** The member whose removal awaits a second tap. */
  readonly confirming = this.#confirming.asReadonly();
  readonly removing = this.#removing.asReadonly();

  reload(): void {
    this.#staff.reload();
  }

  /** Add a member; a refusal comes back as the thrown `ApiError` for the form to map. */
  async add(member: NewStaffMember): Promise<StaffMember> {
    this.#message.set(null);
    const added = await this.#client.add(member);
    this.#message.set({
      kind: 'success',
      text: `${added.name} can now sign in as ${added.role === 'owner' ? 'an owner' : 'a cashier'} with ${added.email}.`,
    });
    this.#staff.reload();
    return added;
  }

  /** Ask for a second tap before removing `member`. */
  askToRemove(member: StaffMember): void {
    this.#message.set(null);
    this.#confirming.set(member.id);
  }

  cancelRemove(): void {
    this.#confirming.set(null);
  }

  /** Remove `member`: they can no longer sign in. */
  async remove(member: StaffMember): Promise<void> {
    this.#removing.set(true);
    try {
      await this.#client.remove(member.id);
      this.#message.set({ kind: 'success', text: `${member.name} can no longer sign in.` });
      this.#staff.reload();
    } catch (error) {
      this.#message.set({
        kind: 'error',
        text: `${member.name} was not removed. ${humanMessage(error)}`,
      });
    } finally {
      this.#removing.set(false);
      this.#confirming.set(null);
    }
  }
}
