/**
 * Customers: find one by phone, see their points (coalition-wide) and everything they earned
 * and redeemed here. Awarding and redeeming happen at the till ("Serve at the till" opens it
 * with the number). `?phone=` opens a customer directly.
 */
import { Component, inject, input, linkedSignal } from '@angular/core';
import { FormRoot, form } from '@angular/forms/signals';
import { RouterLink } from '@angular/router';

import { Button } from '../../shared/ui/button';
import { Card } from '../../shared/ui/card';
import { PhoneField } from '../../shared/ui/form-fields';
import { Icon } from '../../shared/ui/icon';
import { PageHeader } from '../../shared/ui/page-header';
import { PhonePipe, PointsPipe } from '../../shared/ui/pipes';
import { LIST_STATES } from '../../shared/ui/states';
import { TransactionList } from '../../shared/ui/transaction-list';
import { rule } from '../../shared/util/form-rules';
import { phoneProblem } from '../../shared/util/validators';
import { CustomerStore } from './customer-store';

@Component({
  selector: 'adm-customer-search',
  providers: [CustomerStore],
  imports: [
    Button,
    Card,
    FormRoot,
    Icon,
    PageHeader,
    PhoneField,
    PhonePipe,
    PointsPipe,
    RouterLink,
    TransactionList,
    LIST_STATES,
  ],
  template: `
    <adm-page-header
      title="Customers"
      subtitle="Look a customer up by phone to see their points and their history here."
    />

    <adm-card>
      <form
        [formRoot]="searchForm"
        class="flex flex-col gap-3 sm:flex-row sm:items-start"
        role="search"
      >
        <adm-phone-field [field]="searchForm.phone" class="flex-1" />
        <button admButton type="submit" class="sm:mt-6">
          <adm-icon name="search" class="size-4" /> Find
        </button>
      </form>
    </adm-card>

    @if (store.query()) {
      <div class="mt-4 grid grid-cols-1 gap-4 lg:grid-cols-2 lg:gap-6">
        @if (store.customer.isLoading() && !store.customer.hasValue()) {
          <adm-card><adm-loading label="Looking the customer up…" /></adm-card>
        } @else if (store.notFound()) {
          <adm-card class="lg:col-span-2">
            <adm-empty
              title="No customer with this number yet"
              hint="A customer is created the first time you add points for them."
            />
          </adm-card>
        } @else if (store.customer.error(); as error) {
          <adm-card class="lg:col-span-2"
            ><adm-load-error [message]="error | humanMessage" (retry)="store.reloadCustomer()"
          /></adm-card>
        } @else if (store.customer.hasValue()) {
          <adm-card heading="Customer" class="lg:col-span-2">
            <div class="flex flex-wrap items-end justify-between gap-3">
              <div>
                <p class="text-lg font-semibold text-ink" data-testid="customer-phone">
                  {{ store.customer.value().phoneNumber | phone }}
                </p>
                <p class="mt-3 text-sm text-muted">Points balance (all businesses)</p>
                <p
                  class="text-4xl font-bold tabular-nums text-points"
                  data-testid="customer-points"
                >
                  {{ store.customer.value().totalPoints | points }}
                </p>
              </div>
              <a
                admButton
                routerLink="/till"
                [queryParams]="{ phone: store.customer.value().phoneNumber }"
                >Serve at the till</a
              >
            </div>
            <h3 class="mt-6 text-sm font-semibold text-ink">History here</h3>
            @if (store.customer.value().transactions.length === 0) {
              <adm-empty class="mt-2" title="Nothing at your business yet" />
            } @else {
              <adm-transaction-list [transactions]="store.customer.value().transactions" />
            }
          </adm-card>
        }
      </div>
    }
  `,
})
export class CustomerSearch {
  protected readonly store = inject(CustomerStore);

  /** `?phone=` (router input binding). */
  readonly phone = input<string>();

  // `?phone=` arrives after construction (router input binding): prefill the box with it.
  readonly #model = linkedSignal(() => ({ phone: this.phone() ?? '' }));
  protected readonly searchForm = form(this.#model, (path) => rule(path.phone, phoneProblem), {
    submission: {
      action: async () => {
        this.store.search(this.#model().phone);
        return undefined;
      },
    },
  });

  constructor() {
    this.store.followLink(this.phone);
  }
}
