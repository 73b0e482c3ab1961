/**
 * The home page: who is signed in, the loyalty rate, the Add points form, the latest
 * transactions and a few headline figures from reports. Reports is optional: when it is not
 * deployed or down, its card quietly says so and the rest of the page works.
 */
import { Component, computed, inject, resource } from '@angular/core';
import { RouterLink } from '@angular/router';

import { Session } from '../../../core/auth/session';
import { toApiError } from '../../../core/http/api-error';
import { ReportsClient } from '../../shared/data/reports-client';
import { Card } from '../../shared/ui/card';
import { PageHeader } from '../../shared/ui/page-header';
import { Empty, LoadError, Loading } from '../../shared/ui/states';
import { Stat } from '../../shared/ui/stat';
import { TransactionList } from '../../shared/ui/transaction-list';
import { formatPoints } from '../../shared/util/format';
import { Program, ProgramClient } from '../data/program-client';
import { AddPointsForm } from './add-points-form';
import { LoyaltyRateCard } from './loyalty-rate-card';

@Component({
  selector: 'adm-dashboard',
  imports: [
    AddPointsForm,
    Card,
    Empty,
    LoadError,
    Loading,
    LoyaltyRateCard,
    PageHeader,
    RouterLink,
    Stat,
    TransactionList,
  ],
  template: `
    <adm-page-header
      [title]="businessName()"
      subtitle="Award points at the till and keep an eye on your program."
    />

    <div class="grid grid-cols-1 gap-4 lg:grid-cols-3 lg:gap-6">
      <div class="space-y-4 lg:col-span-2 lg:space-y-6">
        <adm-card heading="Add points">
          <adm-add-points-form [businessId]="businessId()" (pointsAdded)="transactions.reload()" />
        </adm-card>

        <adm-card heading="Latest transactions">
          <a
            cardActions
            routerLink="/customers"
            class="text-sm font-semibold text-brand-700 hover:underline"
            >Find a customer</a
          >
          @if (transactions.isLoading() && !transactions.hasValue()) {
            <adm-loading label="Loading transactions…" />
          } @else if (transactions.error(); as error) {
            <adm-load-error [message]="errorText(error)" (retry)="transactions.reload()" />
          } @else if (transactions.hasValue() && transactions.value().length === 0) {
            <adm-empty title="No transactions yet" hint="Points you add appear here." />
          } @else if (transactions.hasValue()) {
            <adm-transaction-list [transactions]="transactions.value()" [showCustomer]="true" />
          }
        </adm-card>
      </div>

      <div class="space-y-4 lg:space-y-6">
        @if (program.hasValue()) {
          <adm-loyalty-rate-card
            [program]="program.value()"
            (programChange)="program.set($event)"
          />
        } @else if (program.error(); as error) {
          <adm-card heading="Loyalty rate">
            <adm-load-error [message]="errorText(error)" (retry)="program.reload()" />
          </adm-card>
        } @else {
          <adm-card heading="Loyalty rate"><adm-loading /></adm-card>
        }

        <adm-card heading="At a glance">
          <a
            cardActions
            routerLink="/reports"
            class="text-sm font-semibold text-brand-700 hover:underline"
            >Reports</a
          >
          @if (summary.hasValue()) {
            <div class="grid grid-cols-2 gap-3" data-testid="headline">
              <adm-stat label="Points issued" [value]="fmt(summary.value().totalPointsIssued)" />
              <adm-stat
                label="Redeemed"
                [value]="fmt(summary.value().redemptionsPoints)"
                [hint]="fmt(summary.value().redemptionsCount) + ' redemptions'"
              />
              <adm-stat
                class="col-span-2"
                label="Customers"
                [value]="fmt(summary.value().customerCount)"
              />
            </div>
          } @else if (summary.error()) {
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
  readonly #session = inject(Session);
  readonly #programs = inject(ProgramClient);
  readonly #reports = inject(ReportsClient);

  protected readonly businessId = computed(() => this.#session.businessId() ?? 0);
  protected readonly businessName = computed(
    () =>
      (this.program.hasValue() ? this.program.value().name : null) ??
      this.#session.business()?.name ??
      'Dashboard',
  );

  protected readonly program = resource<Program, number | undefined>({
    params: () => this.#session.businessId() ?? undefined,
    loader: ({ params }) => this.#programs.program(params),
  });

  protected readonly transactions = resource({
    params: () => this.#session.businessId() ?? undefined,
    loader: ({ params }) => this.#programs.recentTransactions(params, 10),
  });

  protected readonly summary = resource({
    loader: () => this.#reports.summary({}, { quiet: true }),
  });

  protected errorText(error: unknown): string {
    return toApiError(error).detail;
  }

  protected fmt(value: number): string {
    return formatPoints(value);
  }
}
