/**
 * `<adm-transaction-list [transactions]="…">`: ledger rows as a list that reads well on a
 * phone and on a desktop: what happened, for whom, when, and the signed points. A refund
 * says what it refunded and the points it could not take back (already spent: the
 * shortfall). `[rowAction]` is a template shown under each row (its context: the row), for a
 * page that acts on rows (the customers page's Refund) without this list knowing how.
 */
import { DatePipe, NgTemplateOutlet } from '@angular/common';
import { Component, TemplateRef, input } from '@angular/core';

import { Transaction, TransactionType } from '../data/transaction';
import { MoneyPipe, PhonePipe, PointsPipe } from './pipes';

const LABELS: Record<TransactionType, string> = {
  earn: 'Earned',
  redeem: 'Redeemed',
  referral_bonus: 'Referral bonus',
  reversal: 'Refund',
  expire: 'Expired',
  import: 'Imported',
};

@Component({
  selector: 'adm-transaction-list',
  imports: [DatePipe, MoneyPipe, NgTemplateOutlet, PhonePipe, PointsPipe],
  host: { class: 'block' },
  template: `
    <ul class="divide-y divide-line/70">
      @for (tx of transactions(); track tx.id) {
        <li class="py-3" data-testid="transaction">
          <div class="flex items-start justify-between gap-3">
            <div class="min-w-0">
              <p class="flex flex-wrap items-center gap-x-2 gap-y-1 text-sm">
                <span
                  class="rounded-full px-2 py-0.5 text-xs font-semibold"
                  [class.bg-brand-50]="tx.type === 'earn'"
                  [class.text-brand-800]="tx.type === 'earn'"
                  [class.bg-points-soft]="tx.type === 'redeem'"
                  [class.text-points]="tx.type === 'redeem'"
                  [class.bg-info-soft]="tx.type === 'referral_bonus'"
                  [class.text-info]="tx.type === 'referral_bonus'"
                  [class.bg-warning-soft]="tx.type === 'reversal'"
                  [class.text-warning]="tx.type === 'reversal'"
                  >{{ label(tx.type) }}</span
                >
                @if (showCustomer() && tx.customerPhoneNumber) {
                  <span class="font-medium text-ink">{{ tx.customerPhoneNumber | phone }}</span>
                }
                @if (showBusiness()) {
                  <span class="text-muted">at {{ tx.businessName }}</span>
                }
              </p>
              <p class="mt-1 flex min-w-0 gap-1 text-sm text-muted">
                @if (tx.type === 'reversal') {
                  <span class="truncate"
                    >{{
                      tx.amountSpent !== null ? 'Refunded ' + (tx.amountSpent | money) + ': ' : ''
                    }}{{ tx.rewardDescription }}</span
                  >
                  <span aria-hidden="true">·</span>
                } @else if (tx.amountSpent !== null) {
                  <span class="truncate">Spent {{ tx.amountSpent | money }}</span>
                  <span aria-hidden="true">·</span>
                } @else if (tx.rewardDescription) {
                  <span class="truncate">{{ tx.rewardDescription }}</span>
                  <span aria-hidden="true">·</span>
                }
                <span class="shrink-0 whitespace-nowrap">{{
                  tx.timestamp | date: 'd MMM y, HH:mm'
                }}</span>
              </p>
            </div>
            <p
              class="shrink-0 text-right text-base font-semibold tabular-nums"
              [class.text-success]="tx.points > 0"
              [class.text-points]="tx.points < 0"
            >
              {{ tx.points | points: true }}
              <span class="block text-xs font-normal text-muted">points</span>
            </p>
          </div>
          @if (tx.shortfall) {
            <p class="mt-1 text-sm text-warning" data-testid="shortfall">
              {{ tx.shortfall | points }} {{ tx.shortfall === 1 ? 'point was' : 'points were' }}
              already spent and could not be taken back.
            </p>
          }
          @if (rowAction(); as action) {
            <ng-container
              [ngTemplateOutlet]="action"
              [ngTemplateOutletContext]="{ $implicit: tx }"
            />
          }
        </li>
      }
    </ul>
  `,
})
export class TransactionList {
  readonly transactions = input.required<readonly Transaction[]>();
  readonly showCustomer = input(false);
  readonly showBusiness = input(false);
  /** Shown under each row, with the row as its context (`let-tx`). */
  readonly rowAction = input<TemplateRef<{ $implicit: Transaction }> | null>(null);

  protected label(type: TransactionType): string {
    return LABELS[type] ?? type;
  }
}
