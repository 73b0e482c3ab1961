/**
 * The customers page's state: which phone number is shown and that customer (balance and
 * their whole history here; redeeming happens at the till). Writable signals stay
 * private; the page reads the views and changes state only through the methods. Provided by
 * the page, so the state lives as long as the page.
 */
import { Service, Signal, computed, inject, linkedSignal, resource, signal } from '@angular/core';

import { Session } from '../../../core/auth/session';
import { cleanPhone } from '../../shared/util/phone';
import { phoneProblem } from '../../shared/util/validators';
import { LedgerClient, isCustomerNotFound } from '../../shared/data/ledger-client';

@Service({ autoProvided: false })
export class CustomerStore {
  readonly #session = inject(Session);
  readonly #customers = inject(LedgerClient);

  /** The `?phone=` link being followed (a signal, as the router sets it after start). */
  readonly #link = signal<Signal<string | undefined>>(signal(undefined));
  /** The number shown (cleaned): the link's, until a search replaces it. */
  readonly #query = linkedSignal(() => {
    const phone = this.#link()();
    return phone && !phoneProblem(phone) ? cleanPhone(phone) : null;
  });
  readonly #customer = resource({
    params: () => {
      const businessId = this.#session.businessId();
      const phone = this.#query();
      return businessId && phone ? { businessId, phone } : undefined;
    },
    loader: ({ params }) => this.#customers.customer(params.businessId, params.phone),
  });

  readonly businessId = computed(() => this.#session.businessId() ?? 0);
  /** The phone number shown (cleaned), or null before the first search. */
  readonly query = this.#query.asReadonly();
  /** The customer of `query` (loading state, error, value). */
  readonly customer = this.#customer.asReadonly();
  /** True when nobody has the number yet (a 404 `CustomerNotFound`, not any failure). */
  readonly notFound = computed(() => isCustomerNotFound(this.#customer.error()));

  /** Open the customer of each value of `phone` (the page's `?phone=`), until a search. */
  followLink(phone: Signal<string | undefined>): void {
    this.#link.set(phone);
  }

  /** Show the customer with this phone number (any spelling the validators accept). */
  search(phone: string): void {
    this.#query.set(cleanPhone(phone));
  }

  /** Load the customer again (to retry). */
  reloadCustomer(): void {
    this.#customer.reload();
  }
}
