/**
 * `<adm-reverse-form [reversible]="…" [balance]="…">`: reverse one transaction of the
 * customer's history (a refund) in two steps, so a slip of the finger changes nothing: the
 * details (for a purchase, the money refunded — empty: all that is left — and, for any, an
 * optional reason), then a confirmation that says in words what will happen to the points
 * and the customer's balance. The server's refusals are said in the page's words and keep
 * the form open; the outcome (points taken or given back, shortfall) is the page's to show.
 */
import { Component, computed, inject, input, output, signal } from '@angular/core';
import { form } from '@angular/forms/signals';

import { RuntimeConfig } from '../../../core/config/runtime-config';
import { Alert } from '../../shared/ui/alert';
import { Button } from '../../shared/ui/button';
import { FORM_PARTS } from '../../shared/ui/form-fields';
import { formatMoney, formatPoints } from '../../shared/util/format';
import { SubmitResult, rule, submitOrExplain } from '../../shared/util/form-rules';
import { MessageOverrides } from '../../shared/util/messages';
import { textProblem } from '../../shared/util/validators';
import { Reversible, refundAmountProblem, toCents } from '../data/refunds';
import { CustomerStore } from './customer-store';

/** The server's refusals of a reversal, in the page's words. */
export const REVERSAL_REFUSALS: MessageOverrides = {
  AlreadyReversed: 'This transaction has already been reversed in full.',
  ReversalTooLarge:
    'That is more than what is left of this purchase to refund. The history is updated: check it and try again.',
  NotReversible: 'Only a purchase, a redemption or a referral bonus can be reversed.',
  AmountNotApplicable:
    'Only a purchase can be refunded in part: leave the amount empty to reverse all of it.',
  TransactionNotFound: 'This transaction is not at your business.',
};

@Component({
  selector: 'adm-reverse-form',
  host: { class: 'block' },
  imports: [Alert, Button, FORM_PARTS],
  template: `
    <form
      [formRoot]="reverseForm"
      class="mt-3 space-y-3 rounded-lg border border-line bg-canvas p-3"
      data-testid="reverse-form"
    >
      @if (step() === 'details') {
        @if (reversible().amountLeft; as left) {
          <adm-field
            label="Amount refunded (optional)"
            [field]="reverseForm.amount"
            [hint]="'Leave it empty to refund all that is left: ' + money(left) + '.'"
          >
            <input
              admInput
              inputmode="decimal"
              autocomplete="off"
              [formField]="reverseForm.amount"
            />
          </adm-field>
        }
        <adm-field
          label="Reason (optional)"
          [field]="reverseForm.reason"
          hint="For your records, e.g. Returned the shoes."
        >
          <input admInput autocomplete="off" [formField]="reverseForm.reason" />
        </adm-field>
        <adm-form-footer [problem]="problem()" label="Continue">
          <button admButton="ghost" type="button" (click)="cancelled.emit()">Cancel</button>
        </adm-form-footer>
      } @else {
        <adm-alert kind="warning" data-testid="reverse-confirm">
          <strong class="block">{{ summary() }}</strong>
          {{ consequence() }} This cannot be undone.
        </adm-alert>
        <adm-form-footer [problem]="problem()" label="Yes, reverse it" busyLabel="Reversing…">
          <button admButton="ghost" type="button" (click)="back()">Back</button>
        </adm-form-footer>
      }
    </form>
  `,
})
export class ReverseForm {
  readonly #store = inject(CustomerStore);
  readonly #config = inject(RuntimeConfig);

  /** The transaction and what is left of it to reverse. */
  readonly reversible = input.required<Reversible>();
  /** The customer's balance now (points they have not spent). */
  readonly balance = input.required<number>();
  readonly cancelled = output<void>();

  protected readonly step = signal<'details' | 'confirm'>('details');
  protected readonly problem = signal<string | null>(null);

  readonly #model = signal({ amount: '', reason: '' });
  protected readonly reverseForm = form(
    this.#model,
    (path) => {
      rule(path.amount, (value) => {
        const left = this.reversible().amountLeft;
        return left ? refundAmountProblem(value, left, this.money(left)) : null;
      });
      rule(path.reason, (value) => textProblem(value, 200, 'a reason', false));
    },
    { submission: { action: () => this.next() } },
  );

  /** The money refunded: what was typed, else all that is left (purchases only). */
  readonly #refunded = computed(
    () => this.#model().amount.trim() || this.reversible().amountLeft || '',
  );

  /** True when the refund is the whole purchase (or the transaction is not a purchase). */
  readonly #whole = computed(() => {
    const tx = this.reversible().transaction;
    return tx.type !== 'earn' || toCents(this.#refunded()) === toCents(tx.amountSpent ?? '');
  });

  protected readonly summary = computed(() => {
    const tx = this.reversible().transaction;
    switch (tx.type) {
      case 'earn':
        return this.#whole()
          ? `Refund all of this ${this.money(tx.amountSpent)} purchase.`
          : `Refund ${this.money(this.#refunded())} of this ${this.money(tx.amountSpent)} purchase.`;
      case 'redeem':
        return `Cancel this redemption${tx.rewardDescription ? ` (${tx.rewardDescription})` : ''}.`;
      default:
        return 'Take back this referral bonus.';
    }
  });

  protected readonly consequence = computed(() => {
    const tx = this.reversible().transaction;
    const points = Math.abs(tx.points);
    if (tx.type === 'redeem') {
      return `Its ${this.points(points)} points go back to the customer.`;
    }
    const what = !this.#whole()
      ? 'The points this part of the purchase earned are taken back.'
      : `Its ${this.points(points)} points are taken back.`;
    const short =
      this.balance() < points
        ? ` The customer has ${this.points(this.balance())} points now: what they already spent cannot be taken back and is recorded as a shortfall.`
        : '';
    return what + short;
  });

  protected money(value: string | null): string {
    return formatMoney(value, this.#config.currency(), this.#config.locale());
  }

  protected points(value: number): string {
    return formatPoints(value, this.#config.locale());
  }

  protected back(): void {
    this.problem.set(null);
    this.step.set('details');
  }

  private async next(): Promise<SubmitResult> {
    if (this.step() === 'details') {
      this.problem.set(null);
      this.step.set('confirm');
      return undefined;
    }
    const { amount, reason } = this.#model();
    const result = await submitOrExplain(
      this.problem,
      () =>
        this.#store.reverse(this.reversible().transaction.id, {
          amount: amount.trim() || undefined,
          reason: reason.trim() || undefined,
        }),
      { amount: this.reverseForm.amount, reason: this.reverseForm.reason },
      {
        notDone: 'Nothing was reversed.',
        overrides: REVERSAL_REFUSALS,
        messages: {
          amount: 'Enter an amount like 5 or 5.50, at most what is left of the purchase.',
          reason: 'Use at most 200 characters of plain text.',
        },
      },
    );
    if (result && result.length > 0) {
      this.step.set('details'); // a field the server refused: show it where it is typed
    }
    return result;
  }
}
