/**
 * Customers: find one by phone, see their points (coalition-wide) and what they earned and
 * redeemed here, and redeem points. `?phone=` opens a customer directly.
 */
import { Component, computed, inject, input, linkedSignal, resource } from '@angular/core';
import { FormField, FormRoot, form } from '@angular/forms/signals';

import { Session } from '../../../core/auth/session';
import { toApiError } from '../../../core/http/api-error';
import { RewardsCatalog } from '../../shared/data/rewards-catalog';
import { Button } from '../../shared/ui/button';
import { Card } from '../../shared/ui/card';
import { Field } from '../../shared/ui/field';
import { Icon } from '../../shared/ui/icon';
import { Input } from '../../shared/ui/input';
import { PageHeader } from '../../shared/ui/page-header';
import { PhonePipe, PointsPipe } from '../../shared/ui/pipes';
import { Empty, LoadError, Loading } from '../../shared/ui/states';
import { TransactionList } from '../../shared/ui/transaction-list';
import { rule } from '../../shared/util/form-rules';
import { cleanPhone } from '../../shared/util/phone';
import { phoneProblem } from '../../shared/util/validators';
import { CustomersClient, isCustomerNotFound } from '../data/customers-client';
import { RedeemForm } from './redeem-form';

@Component({
  selector: 'adm-customer-search',
  imports: [
    Button,
    Card,
    Empty,
    Field,
    FormField,
    FormRoot,
    Icon,
    Input,
    LoadError,
    Loading,
    PageHeader,
    PhonePipe,
    PointsPipe,
    RedeemForm,
    TransactionList,
  ],
  template: `
    <adm-page-header
      title="Customers"
      subtitle="Look a customer up by phone to see their points and redeem them."
    />

    <adm-card>
      <form
        [formRoot]="searchForm"
        class="flex flex-col gap-3 sm:flex-row sm:items-start"
        role="search"
      >
        <adm-field label="Customer phone" [field]="searchForm.phone" class="flex-1">
          <input
            admInput
            type="tel"
            inputmode="tel"
            autocomplete="off"
            placeholder="0771234567"
            [formField]="searchForm.phone"
          />
        </adm-field>
        <button admButton type="submit" class="sm:mt-6">
          <adm-icon name="search" class="size-4" /> Find
        </button>
      </form>
    </adm-card>

    @if (query()) {
      <div class="mt-4 grid grid-cols-1 gap-4 lg:grid-cols-2 lg:gap-6">
        @if (customer.isLoading() && !customer.hasValue()) {
          <adm-card><adm-loading label="Looking the customer up…" /></adm-card>
        } @else if (notFound()) {
          <adm-card class="lg:col-span-2">
            <adm-empty
              title="No customer with this number yet"
              hint="A customer is created the first time you add points for them."
            />
          </adm-card>
        } @else if (customer.error(); as error) {
          <adm-card class="lg:col-span-2"
            ><adm-load-error [message]="errorText(error)" (retry)="customer.reload()"
          /></adm-card>
        } @else if (customer.hasValue()) {
          <adm-card heading="Customer">
            <p class="text-lg font-semibold text-ink" data-testid="customer-phone">
              {{ customer.value().phoneNumber | phone }}
            </p>
            <p class="mt-3 text-sm text-muted">Points balance (all businesses)</p>
            <p class="text-4xl font-bold tabular-nums text-points" data-testid="customer-points">
              {{ customer.value().totalPoints | points }}
            </p>
            <h3 class="mt-6 text-sm font-semibold text-ink">History here</h3>
            @if (customer.value().transactions.length === 0) {
              <adm-empty class="mt-2" title="Nothing at your business yet" />
            } @else {
              <adm-transaction-list [transactions]="customer.value().transactions" />
            }
          </adm-card>
          <adm-card heading="Redeem points">
            @if (customer.value().totalPoints <= 0) {
              <p class="mb-4 text-sm text-muted">This customer has no points to redeem yet.</p>
            }
            <adm-redeem-form
              [businessId]="businessId()"
              [phoneNumber]="customer.value().phoneNumber"
              [balance]="customer.value().totalPoints"
              [rewards]="rewards.hasValue() ? rewards.value() : []"
              (redeemed)="customer.reload()"
              (rewardsChanged)="rewards.reload()"
              (balanceStale)="customer.reload()"
            />
          </adm-card>
        }
      </div>
    }
  `,
})
export class CustomerSearch {
  readonly #session = inject(Session);
  readonly #customers = inject(CustomersClient);
  readonly #rewards = inject(RewardsCatalog);

  /** `?phone=` (router input binding). */
  readonly phone = input<string>();

  protected readonly businessId = computed(() => this.#session.businessId() ?? 0);

  /** The phone number being shown (cleaned), or null before the first search. */
  protected readonly query = linkedSignal(() => {
    const phone = this.phone();
    return phone && !phoneProblem(phone) ? cleanPhone(phone) : null;
  });

  // `?phone=` arrives after construction (router input binding): prefill the box with it.
  readonly #model = linkedSignal(() => ({ phone: this.phone() ?? '' }));
  protected readonly searchForm = form(this.#model, (path) => rule(path.phone, phoneProblem), {
    submission: {
      action: async () => {
        this.query.set(cleanPhone(this.#model().phone));
        return undefined;
      },
    },
  });

  protected readonly customer = resource({
    params: () => {
      const businessId = this.#session.businessId();
      const phone = this.query();
      return businessId && phone ? { businessId, phone } : undefined;
    },
    loader: ({ params }) => this.#customers.customer(params.businessId, params.phone),
  });

  protected readonly rewards = resource({
    params: () => this.#session.businessId() ?? undefined,
    loader: ({ params }) => this.#rewards.list(params),
  });

  protected readonly notFound = computed(() => isCustomerNotFound(this.customer.error()));

  protected errorText(error: unknown): string {
    return toApiError(error).detail;
  }
}
