/**
 * The till, home of owners and cashiers: type (or scan) the customer's phone, then on one
 * card their balance, the rewards they can afford now with a one-tap Redeem (asking for the
 * customer's SMS code where the coalition requires it), Add points for this sale, and their
 * last visits here, folded. "Next customer" clears the card and puts the cursor back in the
 * phone field.
 *
 * Built for the keyboard and a phone held in one hand: the phone field has the focus when the
 * page opens; Enter looks the number up and moves to the amount; Enter awards and returns to
 * the phone field (its number selected, so typing the next one replaces it); after a
 * redemption the cursor waits in the amount field. The common case fits a 375 px screen
 * without scrolling. `?phone=` opens a customer directly (the customers page links here).
 */
import {
  Component,
  ElementRef,
  afterNextRender,
  afterRenderEffect,
  computed,
  effect,
  inject,
  input,
  signal,
  untracked,
  viewChild,
} from '@angular/core';
import { FormField, FormRoot, ValidationError, form } from '@angular/forms/signals';

import { RuntimeConfig } from '../../../core/config/runtime-config';
import { Reward } from '../../shared/data/rewards-catalog';
import { Alert } from '../../shared/ui/alert';
import { Button } from '../../shared/ui/button';
import { Field } from '../../shared/ui/field';
import { Input } from '../../shared/ui/input';
import { PhonePipe, PointsPipe } from '../../shared/ui/pipes';
import { LoadError, Loading } from '../../shared/ui/states';
import { TransactionList } from '../../shared/ui/transaction-list';
import { plural } from '../../shared/util/dates';
import { formatPoints } from '../../shared/util/format';
import { rule } from '../../shared/util/form-rules';
import { amountProblem, phoneProblem } from '../../shared/util/validators';
import { referredByProblem } from '../../shared/data/referral-tracking';
import { RECENT_VISITS, TillStore } from './till-store';

/** A customer's redemption code: 6 digits. */
export function codeProblem(raw: string): string | null {
  const value = raw.replace(/\s/g, '');
  if (value === '') {
    return 'Enter the code the customer received.';
  }
  return /^\d{6}$/.test(value) ? null : 'The code has 6 digits.';
}

@Component({
  selector: 'adm-till-page',
  providers: [TillStore],
  imports: [
    Alert,
    Button,
    Field,
    FormField,
    FormRoot,
    Input,
    LoadError,
    Loading,
    PhonePipe,
    PointsPipe,
    TransactionList,
  ],
  template: `
    <div class="max-w-2xl">
      <h1 class="mb-3 text-xl font-bold tracking-tight text-ink sm:text-2xl">Till</h1>

      <form
        [formRoot]="phoneForm"
        role="search"
        aria-label="Find a customer"
        class="flex items-start gap-2"
      >
        <adm-field label="Customer phone" [field]="phoneForm.phone" class="min-w-0 flex-1">
          <input
            #phoneInput
            admInput
            type="tel"
            inputmode="tel"
            autocomplete="off"
            placeholder="0771234567"
            [formField]="phoneForm.phone"
          />
        </adm-field>
        <button admButton type="submit" class="mt-6 shrink-0">Look up</button>
      </form>

      @if (store.phone(); as phone) {
        <section
          class="mt-3 rounded-card border border-line/60 bg-surface shadow-card"
          aria-labelledby="till-customer"
          data-testid="till-card"
        >
          @if (store.customer.isLoading() && !store.customer.hasValue() && !store.isNew()) {
            <adm-loading class="px-4" label="Looking the customer up…" />
          } @else if (store.lookUpProblem(); as problem) {
            <div class="p-4">
              <adm-load-error [message]="problem" (retry)="store.lookUp(phone)" />
            </div>
          } @else {
            <div class="flex items-center justify-between gap-3 border-b border-line/70 px-4 py-3">
              <div class="min-w-0">
                <h2
                  id="till-customer"
                  class="truncate font-semibold text-ink"
                  data-testid="till-phone"
                >
                  {{ store.shownPhone() | phone }}
                </h2>
                <p class="text-xs text-muted">
                  {{
                    store.isNew()
                      ? 'New customer: their first points add them.'
                      : 'Points from every shop in the coalition'
                  }}
                </p>
              </div>
              <p class="shrink-0 text-right">
                <span
                  class="block text-3xl leading-none font-bold tabular-nums text-points"
                  data-testid="till-balance"
                  >{{ store.balance() | points }}</span
                >
                <span class="text-xs text-muted">points</span>
              </p>
            </div>

            <div class="space-y-3 px-4 py-3">
              @if (store.message(); as message) {
                <adm-alert [kind]="message.kind" data-testid="till-message">{{
                  message.text
                }}</adm-alert>
              }

              @if (store.consent(); as consent) {
                <form [formRoot]="codeForm" class="space-y-2" data-testid="consent">
                  <adm-field
                    [label]="'Customer’s code for ' + consent.reward.name"
                    [field]="codeForm.code"
                    hint="6 digits, sent to the customer by SMS."
                  >
                    <input
                      #codeInput
                      admInput
                      inputmode="numeric"
                      autocomplete="one-time-code"
                      [formField]="codeForm.code"
                    />
                  </adm-field>
                  <div class="flex flex-wrap gap-2">
                    <button admButton type="submit" [disabled]="store.busy() !== null">
                      Redeem {{ consent.reward.pointsCost | points }} points
                    </button>
                    <button
                      admButton="secondary"
                      type="button"
                      [disabled]="store.busy() !== null"
                      (click)="store.resendCode()"
                    >
                      Send a new code
                    </button>
                    <button admButton="ghost" type="button" (click)="store.cancelConsent()">
                      Cancel
                    </button>
                  </div>
                </form>
              } @else if (!store.isNew()) {
                <div>
                  <h3 class="text-sm font-semibold text-ink">Can redeem now</h3>
                  @if (store.affordable().length > 0) {
                    <ul class="mt-1 divide-y divide-line/70" data-testid="affordable">
                      @for (reward of store.affordable(); track reward.id) {
                        <li class="flex items-center justify-between gap-3 py-1.5">
                          <span class="min-w-0 text-sm">
                            <span class="block truncate font-medium text-ink">{{
                              reward.name
                            }}</span>
                            <span class="text-xs font-semibold text-points"
                              >{{ reward.pointsCost | points }} points</span
                            >
                          </span>
                          <button
                            admButton="secondary"
                            type="button"
                            class="shrink-0"
                            [attr.aria-label]="'Redeem ' + reward.name"
                            [disabled]="store.busy() !== null"
                            (click)="redeem(reward)"
                          >
                            Redeem
                          </button>
                        </li>
                      }
                    </ul>
                  } @else {
                    <p class="mt-1 text-sm text-muted" data-testid="no-affordable">
                      {{ nothingAffordable() }}
                    </p>
                  }
                </div>
              }

              <form [formRoot]="amountForm" class="space-y-2">
                <div class="flex items-start gap-2">
                  <adm-field
                    class="min-w-0 flex-1"
                    [label]="'Amount spent (' + currency() + ')'"
                    [field]="amountForm.amount"
                    [hint]="earnHint()"
                  >
                    <input
                      #amountInput
                      admInput
                      inputmode="decimal"
                      autocomplete="off"
                      [formField]="amountForm.amount"
                    />
                  </adm-field>
                  <button
                    admButton
                    type="submit"
                    class="mt-6 shrink-0"
                    [disabled]="store.busy() !== null"
                  >
                    {{ store.busy() === 'award' ? 'Adding…' : 'Add points' }}
                  </button>
                </div>
                @if (store.isNew()) {
                  <adm-field
                    label="Referred by (optional)"
                    [field]="amountForm.referredBy"
                    hint="A first visit: the phone number or referral code of the customer who sent them."
                  >
                    <input
                      admInput
                      autocomplete="off"
                      autocapitalize="characters"
                      data-testid="referred-by"
                      [formField]="amountForm.referredBy"
                    />
                  </adm-field>
                }
              </form>

              @if (store.recent().length > 0) {
                <details class="group rounded-lg border border-line/70" data-testid="recent">
                  <summary class="min-h-11 cursor-pointer px-3 py-3 text-sm font-medium text-ink">
                    Last {{ store.recent().length }} {{ visits(store.recent().length) }} here
                  </summary>
                  <adm-transaction-list class="px-3" [transactions]="store.recent()" />
                </details>
              }
            </div>
          }
          <div class="border-t border-line/70 px-4 py-2">
            <button admButton="ghost" type="button" [block]="true" (click)="nextCustomer()">
              Next customer
            </button>
          </div>
        </section>
      }
    </div>
  `,
})
export class TillPage {
  protected readonly store = inject(TillStore);
  readonly #config = inject(RuntimeConfig);

  /** `?phone=` (router input binding): serve this customer straight away. */
  readonly phone = input<string>();

  protected readonly currency = this.#config.currency;
  protected readonly recentVisits = RECENT_VISITS;

  private readonly phoneInput = viewChild<ElementRef<HTMLInputElement>>('phoneInput');
  private readonly amountInput = viewChild<ElementRef<HTMLInputElement>>('amountInput');
  private readonly codeInput = viewChild<ElementRef<HTMLInputElement>>('codeInput');
  /** Where the cursor goes once the card shows what it waits for. */
  readonly #focusNext = signal<'amount' | 'code' | null>(null);

  readonly #phoneModel = signal({ phone: '' });
  protected readonly phoneForm = form(this.#phoneModel, (path) => rule(path.phone, phoneProblem), {
    submission: {
      action: async () => {
        this.#focusNext.set('amount');
        this.store.lookUp(this.#phoneModel().phone);
        return undefined;
      },
    },
  });

  readonly #amountModel = signal({ amount: '', referredBy: '' });
  protected readonly amountForm = form(
    this.#amountModel,
    (path) => {
      rule(path.amount, amountProblem);
      rule(path.referredBy, referredByProblem);
    },
    { submission: { action: () => this.addPoints() } },
  );

  readonly #codeModel = signal({ code: '' });
  protected readonly codeForm = form(this.#codeModel, (path) => rule(path.code, codeProblem), {
    submission: { action: () => this.confirmCode() },
  });

  /** "Earns 25 points" under the amount, as it is typed. */
  protected readonly earnHint = computed(() => {
    const amount = this.#amountModel().amount;
    const points = amountProblem(amount) ? null : this.store.pointsFor(amount);
    return points === null ? '' : `Earns ${formatPoints(points)} ${plural(points, 'point')}.`;
  });

  protected readonly nothingAffordable = computed(() => {
    const next = this.store.nextReward();
    if (next) {
      return `${formatPoints(next.missing)} more ${plural(next.missing, 'point')} for ${next.reward.name}.`;
    }
    return this.store.hasRewards()
      ? 'No reward to redeem yet.'
      : 'Your catalog has no rewards yet.';
  });

  constructor() {
    afterNextRender(() => this.phoneInput()?.nativeElement.focus());
    effect(() => {
      const linked = this.phone();
      if (linked && !phoneProblem(linked)) {
        untracked(() => {
          this.#phoneModel.set({ phone: linked });
          this.#focusNext.set('amount');
          this.store.lookUp(linked);
        });
      }
    });
    // Move the cursor once the element it waits for is on the page.
    afterRenderEffect(() => {
      const next = this.#focusNext();
      const target =
        next === 'amount' && !this.store.customer.isLoading()
          ? this.amountInput()
          : next === 'code'
            ? this.codeInput()
            : undefined;
      if (target) {
        target.nativeElement.focus();
        this.#focusNext.set(null);
        if (next === 'code') {
          this.#quietAmount(); // the cursor left the empty amount for the code
        }
      }
    });
    // A code is asked for: the cursor goes to the code field.
    effect(() => {
      if (this.store.consent()) {
        untracked(() => {
          this.#quietAmount();
          this.#codeModel.set({ code: '' });
          this.codeForm().reset();
          this.#focusNext.set('code');
        });
      }
    });
  }

  protected async redeem(reward: Reward): Promise<void> {
    this.#quietAmount();
    if (await this.store.redeem(reward)) {
      this.#focusNext.set('amount');
    }
  }

  protected nextCustomer(): void {
    this.store.nextCustomer();
    this.#phoneModel.set({ phone: '' });
    this.phoneForm().reset();
    this.#amountModel.set({ amount: '', referredBy: '' });
    this.amountForm().reset();
    this.phoneInput()?.nativeElement.focus();
  }

  /**
   * The cursor left an empty amount field for something else (a Redeem, the code): that is
   * not a mistake, so it shows no "Enter the amount" until the cashier tries to add points.
   */
  #quietAmount(): void {
    if (this.#amountModel().amount.trim() === '') {
      this.amountForm().reset();
    }
  }

  protected visits(count: number): string {
    return plural(count, 'visit');
  }

  private async addPoints(): Promise<ValidationError.WithOptionalFieldTree[] | undefined> {
    const { amount, referredBy } = this.#amountModel();
    // "Referred by" belongs to a first-time customer's first award only.
    const { outcome, fields } = await this.store.award(
      amount,
      this.store.isNew() ? referredBy : '',
    );
    if (outcome === 'awarded') {
      this.#amountModel.set({ amount: '', referredBy: '' });
      this.amountForm().reset();
      const phone = this.phoneInput()?.nativeElement;
      phone?.focus();
      phone?.select();
      return undefined;
    }
    const errors: ValidationError.WithOptionalFieldTree[] = [];
    if (fields?.['amount_spent']) {
      errors.push({
        kind: 'server',
        message: fields['amount_spent'],
        fieldTree: this.amountForm.amount,
      });
    }
    if (fields?.['referred_by']) {
      errors.push({
        kind: 'server',
        message: fields['referred_by'],
        fieldTree: this.amountForm.referredBy,
      });
    }
    return errors.length > 0 ? errors : undefined;
  }

  private async confirmCode(): Promise<undefined> {
    if (await this.store.confirmCode(this.#codeModel().code.replace(/\s/g, ''))) {
      this.#focusNext.set('amount');
    }
    return undefined;
  }
}
