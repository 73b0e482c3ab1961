/**
 * The customers page's state: which phone number is shown and that customer (balance and
 * their whole history here; redeeming happens at the till), and reversing one of its
 * transactions (a refund): which row's form is open and what the last reversal did. Writable signals stay
 * private; the page reads the views and changes state only through the methods. Provided by
 * the page, so the state lives as long as the page.
 */
import { Service, Signal, computed, inject, linkedSignal, resource, signal } from '@angular/core';

import { Session } from '../../../core/auth/session';
import { toApiError } from '../../../core/http/api-error';
import { IdempotencyKeys } from '../../shared/util/idempotency';
import { cleanPhone } from '../../shared/util/phone';
import { phoneProblem } from '../../shared/util/validators';
import { LedgerClient, isCustomerNotFound } from '../../shared/data/ledger-client';
import { Reversal, ReversalClient, ReversalRequest } from '../data/reversal-client';

/** Refusals after which the history shown is stale (another till refunded meanwhile). */
const STALE_HISTORY: ReadonlySet<string> = new Set(['AlreadyReversed', 'ReversalTooLarge']);

@Service({ autoProvided: false })
export class CustomerStore {
  readonly #session = inject(Session);
  readonly #customers = inject(LedgerClient);
  readonly #reversals = inject(ReversalClient);
  readonly #keys = new IdempotencyKeys();
  /** The row whose Reverse form is open (its id), or null. */
  readonly #reversing = signal<number | null>(null);
  /** What the last reversal did, shown until another customer is opened. */
  readonly #lastReversal = signal<Reversal | null>(null);

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
  /** The id of the transaction whose Reverse form is open, or null. */
  readonly reversing = this.#reversing.asReadonly();
  /** What the last reversal did (points taken back or given back, shortfall), or null. */
  readonly lastReversal = this.#lastReversal.asReadonly();

  /** Open the customer of each value of `phone` (the page's `?phone=`), until a search. */
  followLink(phone: Signal<string | undefined>): void {
    this.#link.set(phone);
  }

  /** Show the customer with this phone number (any spelling the validators accept). */
  search(phone: string): void {
    this.#query.set(cleanPhone(phone));
    this.#reversing.set(null);
    this.#lastReversal.set(null);
  }

  /** Open the Reverse form of transaction `transactionId` (closing any other). */
  startReversing(transactionId: number): void {
    this.#reversing.set(transactionId);
    this.#lastReversal.set(null);
  }

  /** Close the Reverse form without reversing anything. */
  stopReversing(): void {
    this.#reversing.set(null);
  }

  /**
   * Reverse transaction `transactionId`, then show the history again with its refund row.
   * The `Idempotency-Key` is kept for a retry of the same request after no answer. A refusal
   * is thrown (ApiError) and the form stays open; after "already refunded" the history is
   * reloaded, as it was out of date.
   */
  async reverse(transactionId: number, request: ReversalRequest): Promise<Reversal> {
    const key = this.#keys.keyFor({ transactionId, ...request });
    try {
      const reversal = await this.#reversals.reverse(transactionId, request, key);
      this.#keys.done();
      this.#lastReversal.set(reversal);
      this.#reversing.set(null);
      this.#customer.reload();
      return reversal;
    } catch (error) {
      const apiError = toApiError(error);
      this.#keys.failed(apiError);
      if (apiError.code && STALE_HISTORY.has(apiError.code)) {
        this.#customer.reload();
      }
      throw apiError;
    }
  }

  /** Load the customer again (to retry). */
  reloadCustomer(): void {
    this.#customer.reload();
  }
}
