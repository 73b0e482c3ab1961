/**
 * The owner's overview: the loyalty rate, the latest transactions and the headline figures of
 * the last 30 days from reports, each labelled with its period. Points are awarded and
 * redeemed at the till (linked at the top); this page loads fresh figures each time it opens,
 * and Refresh reloads them after a sale. Reports is optional: when it is not deployed or
 * down, its card quietly says so and the rest of the page works.
 */
import { Component, inject } from '@angular/core';
import { RouterLink } from '@angular/router';

import { Card } from '../../shared/ui/card';
import { PageHeader } from '../../shared/ui/page-header';
import { LIST_STATES } from '../../shared/ui/states';
import { Stat } from '../../shared/ui/stat';
import { TransactionList } from '../../shared/ui/transaction-list';
import { Button } from '../../shared/ui/button';
import { plural } from '../../shared/util/dates';
import { formatPoints } from '../../shared/util/format';
import { DashboardStore } from './dashboard-store';
import { LoyaltyRateCard } from './loyalty-rate-card';

@Component({
  selector: 'adm-dashboard',
  providers: [DashboardStore],
  imports: [
    Button,
    Card,
    LoyaltyRateCard,
    PageHeader,
    RouterLink,
    Stat,
    TransactionList,
    LIST_STATES,
  ],
  template: `
    <adm-page-header [title]="store.businessName()" subtitle="How your loyalty program is doing.">
      <div class="flex gap-2">
        <button admButton="secondary" type="button" (click)="store.refresh()">Refresh</button>
        <a admButton routerLink="/till">Open the till</a>
      </div>
    </adm-page-header>

    <div class="grid grid-cols-1 gap-4 lg:grid-cols-3 lg:gap-6">
      <div class="space-y-4 lg:col-span-2 lg:space-y-6">
        <adm-card heading="Latest transactions">
          <a
            cardActions
            routerLink="/customers"
            class="text-sm font-semibold text-brand-700 hover:underline"
            >Find a customer</a
          >
          @if (store.transactions.isLoading() && !store.transactions.hasValue()) {
            <adm-loading label="Loading transactions…" />
          } @else if (store.transactions.error(); as error) {
            <adm-load-error [message]="error | humanMessage" (retry)="store.reloadTransactions()" />
          } @else if (store.transactions.hasValue() && store.transactions.value().length === 0) {
            <adm-empty title="No transactions yet" hint="Points you add at the till appear here." />
          } @else if (store.transactions.hasValue()) {
            <adm-transaction-list
              [transactions]="store.transactions.value()"
              [showCustomer]="true"
            />
          }
        </adm-card>
      </div>

      <div class="space-y-4 lg:space-y-6">
        @if (store.program.hasValue()) {
          <adm-loyalty-rate-card
            [program]="store.program.value()"
            (programChange)="store.programSaved($event)"
          />
        } @else if (store.program.error(); as error) {
          <adm-card heading="Loyalty rules">
            <adm-load-error [message]="error | humanMessage" (retry)="store.reloadProgram()" />
          </adm-card>
        } @else {
          <adm-card heading="Loyalty rules"><adm-loading /></adm-card>
        }

        <adm-card [heading]="'Last ' + store.periodDays + ' days'">
          <a
            cardActions
            routerLink="/reports"
            class="text-sm font-semibold text-brand-700 hover:underline"
            >Reports</a
          >
          @if (store.summary.hasValue()) {
            <div class="grid grid-cols-2 gap-3" data-testid="headline">
              <adm-stat
                data-testid="dashboard-issued"
                [label]="'Points issued, last ' + store.periodDays + ' days'"
                [value]="fmt(store.summary.value().totalPointsIssued)"
                hint="Purchases and referral bonuses"
              />
              <adm-stat
                label="Points redeemed"
                [value]="fmt(store.summary.value().redemptionsPoints)"
                [hint]="
                  fmt(store.summary.value().redemptionsCount) +
                  ' ' +
                  redemptions(store.summary.value().redemptionsCount)
                "
              />
              <adm-stat
                class="col-span-2"
                label="Customers"
                [value]="fmt(store.summary.value().customerCount)"
              />
            </div>
          } @else if (store.summary.error()) {
            <p class="text-sm text-muted" data-testid="reports-unavailable">
              Reports unavailable right now.
            </p>
          } @else {
            <adm-loading />
          }
        </adm-card>
      </div>
    </div>
  `,
})
export class Dashboard {
  protected readonly store = inject(DashboardStore);

  protected fmt(value: number): string {
    return formatPoints(value);
  }

  protected redemptions(count: number): string {
    return plural(count, 'redemption');
  }
}
