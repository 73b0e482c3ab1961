/**
 * Customers: find one by phone, see their points (coalition-wide) and everything they earned
 * and redeemed here. Awarding and redeeming happen at the till ("Serve at the till" opens it
 * with the number). `?phone=` opens a customer directly. Each purchase, redemption and
 * referral bonus not yet reversed in full has a Reverse action (a refund, confirmed before it
 * is sent); what it did — points taken or given back, and the shortfall the customer had
 * already spent — shows above the history.
 */
import { Component, computed, inject, input, linkedSignal } from '@angular/core';
import { FormRoot, form } from '@angular/forms/signals';
import { RouterLink } from '@angular/router';

import { Transaction } from '../../shared/data/transaction';
import { Alert } from '../../shared/ui/alert';
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
import { Reversible, reversible } from '../data/refunds';
import { CustomerStore } from './customer-store';
import { ReverseForm } from './reverse-form';

@Component({
  selector: 'adm-customer-search',
  providers: [CustomerStore],
  imports: [
    Alert,
    Button,
    ReverseForm,
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
            @if (store.lastReversal(); as done) {
              <adm-alert kind="success" class="mt-2" data-testid="reversal-done">
                @if (done.points < 0) {
                  Reversed: {{ -done.points | points }} points taken back.
                } @else if (done.points > 0) {
                  Reversed: {{ done.points | points }} points given back to the customer.
                } @else {
                  Reversed.
                }
                @if (done.shortfall > 0) {
                  <strong data-testid="reversal-shortfall"
                    >{{ done.shortfall | points }}
                    {{ done.shortfall === 1 ? 'point' : 'points' }} could not be taken back: the
                    customer had already spent them (shortfall).</strong
                  >
                }
                Balance now {{ done.totalPoints | points }} points.
              </adm-alert>
            }
            @if (store.customer.value().transactions.length === 0) {
              <adm-empty class="mt-2" title="Nothing at your business yet" />
            } @else {
              <adm-transaction-list
                [transactions]="store.customer.value().transactions"
                [rowAction]="reverseAction"
              />
            }
            <ng-template #reverseAction let-tx>
              @if (store.reversing() === tx.id) {
                <adm-reverse-form
                  [reversible]="reversibleOrWhole(tx)"
                  [balance]="store.customer.value().totalPoints"
                  (cancelled)="store.stopReversing()"
                />
              } @else if (reversibleRows().has(tx.id)) {
                <button
                  admButton="secondary"
                  type="button"
                  class="mt-2"
                  (click)="store.startReversing(tx.id)"
                >
                  Reverse<span class="sr-only"> {{ describe(tx) }}</span>
                </button>
              }
            </ng-template>
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

  /** The rows of the history that can still be reversed, by id. */
  protected readonly reversibleRows = computed(() => {
    const rows = this.store.customer.hasValue() ? this.store.customer.value().transactions : [];
    const found = new Map<number, Reversible>();
    for (const tx of rows) {
      const left = reversible(tx, rows);
      if (left) {
        found.set(tx.id, left);
      }
    }
    return found;
  });

  constructor() {
    this.store.followLink(this.phone);
  }

  /** The open form's transaction (still shown when a refusal made it no longer reversible). */
  protected reversibleOrWhole(tx: Transaction): Reversible {
    return this.reversibleRows().get(tx.id) ?? { transaction: tx, amountLeft: null };
  }

  /** The row, for a screen reader's "Reverse …" button. */
  protected describe(tx: Transaction): string {
    const when = new Date(tx.timestamp).toLocaleString();
    return tx.type === 'earn'
      ? `the purchase of ${when}`
      : tx.type === 'redeem'
        ? `the redemption of ${when}`
        : `the referral bonus of ${when}`;
  }
}
