/**
 * Reports: the figures of a date range (default: the last 30 days) — points issued,
 * redemptions, customers; what refunds took back (and could not), what cancelled redemptions
 * gave back, what expired, what was imported, and the net change of customers' balances,
 * each said in words — the top 5 customers and points issued and redeemed per day. A
 * range that ends before it starts says so in place of the figures; a period without any
 * activity says "no data yet" instead of an empty chart.
 */
import { Component, inject } from '@angular/core';
import { RouterLink } from '@angular/router';

import { RuntimeConfig } from '../../../core/config/runtime-config';
import { Alert } from '../../shared/ui/alert';
import { Button } from '../../shared/ui/button';
import { Card } from '../../shared/ui/card';
import { PageHeader } from '../../shared/ui/page-header';
import { PhonePipe, PointsPipe } from '../../shared/ui/pipes';
import { LIST_STATES } from '../../shared/ui/states';
import { Stat } from '../../shared/ui/stat';
import { plural } from '../../shared/util/dates';
import { formatPoints } from '../../shared/util/format';
import { LedgerFigures } from '../ui/ledger-figures';
import { PointsChart } from '../ui/points-chart';
import { ReportsStore } from './reports-store';

const PRESETS = [7, 30, 90] as const;

@Component({
  selector: 'adm-reports-page',
  providers: [ReportsStore],
  imports: [
    Alert,
    Button,
    Card,
    LedgerFigures,
    PageHeader,
    PhonePipe,
    PointsChart,
    PointsPipe,
    RouterLink,
    Stat,
    LIST_STATES,
  ],
  template: `
    <adm-page-header title="Reports" subtitle="How your loyalty program is doing.">
      <button
        admButton="secondary"
        type="button"
        [disabled]="store.summary.isLoading()"
        (click)="store.reload()"
      >
        {{ store.summary.isLoading() ? 'Refreshing…' : 'Refresh' }}
      </button>
    </adm-page-header>

    <adm-card class="mb-4">
      <div class="flex flex-wrap items-end gap-3">
        <div class="grid w-full grid-cols-2 gap-3 sm:w-auto">
          <label class="block min-w-0">
            <span class="mb-1 block text-sm font-medium">From</span>
            <input
              type="date"
              class="min-h-11 w-full rounded-lg border border-line bg-surface px-2 sm:px-3"
              [value]="store.from()"
              [max]="store.to()"
              (change)="setFrom($event)"
            />
          </label>
          <label class="block min-w-0">
            <span class="mb-1 block text-sm font-medium">To</span>
            <input
              type="date"
              class="min-h-11 w-full rounded-lg border border-line bg-surface px-2 sm:px-3"
              [value]="store.to()"
              [min]="store.from()"
              (change)="setTo($event)"
            />
          </label>
        </div>
        <div class="flex gap-1" role="group" aria-label="Quick ranges">
          @for (days of presets; track days) {
            <button
              type="button"
              class="min-h-11 rounded-lg border border-line px-3 text-sm font-medium hover:bg-canvas"
              (click)="store.showLastDays(days)"
            >
              {{ days }} days
            </button>
          }
        </div>
      </div>
    </adm-card>

    @if (store.rangeProblem(); as problem) {
      <adm-alert kind="error" data-testid="range-problem"
        >{{ problem }} The figures show again once the dates are in order.</adm-alert
      >
    } @else if (store.summary.isLoading() && !store.summary.hasValue()) {
      <adm-card><adm-loading label="Loading reports…" /></adm-card>
    } @else if (store.summary.error(); as error) {
      <adm-card>
        @if (store.unavailable()) {
          <adm-empty
            title="Reports unavailable"
            hint="The reports service is not running. Everything else keeps working."
          />
        } @else {
          <adm-load-error [message]="error | humanMessage" (retry)="store.reload()" />
        }
      </adm-card>
    } @else if (store.summary.hasValue()) {
      <div class="grid grid-cols-2 gap-3 lg:grid-cols-4">
        <adm-stat
          label="Points issued"
          data-testid="stat-issued"
          hint="Purchases and referral bonuses"
          [value]="fmt(store.summary.value().totalPointsIssued)"
        />
        <adm-stat
          [label]="redemptionsLabel(store.summary.value().redemptionsCount)"
          data-testid="stat-redemptions"
          [value]="fmt(store.summary.value().redemptionsCount)"
        />
        <adm-stat
          label="Points redeemed"
          data-testid="stat-redeemed"
          [value]="fmt(store.summary.value().redemptionsPoints)"
        />
        <adm-stat
          label="Customers"
          data-testid="stat-customers"
          [value]="fmt(store.summary.value().customerCount)"
        />
      </div>

      <adm-card heading="Refunds, expiry and imports" class="mt-4" data-testid="ledger-card">
        <adm-ledger-figures [summary]="store.summary.value()" [locale]="locale()" />
      </adm-card>

      <div class="mt-4 grid grid-cols-1 gap-4 xl:grid-cols-5 xl:gap-6">
        <adm-card heading="Points per day" class="xl:col-span-3">
          @if (store.quietPeriod()) {
            <adm-empty
              data-testid="chart-empty"
              title="No data yet"
              hint="No points were issued or redeemed in this period."
            />
          } @else {
            <adm-points-chart [days]="store.summary.value().daily" [locale]="locale()" />
          }
        </adm-card>
        <adm-card heading="Top customers" class="xl:col-span-2">
          @if (store.summary.value().topCustomers.length === 0) {
            <adm-empty title="No customers in this period" />
          } @else {
            <ol class="divide-y divide-line/70">
              @for (
                customer of store.summary.value().topCustomers;
                track customer.phoneNumber;
                let i = $index
              ) {
                <li class="flex items-center justify-between gap-3 py-2.5 text-sm">
                  <a
                    class="flex min-w-0 items-center gap-2 font-medium text-ink hover:underline"
                    routerLink="/customers"
                    [queryParams]="{ phone: customer.phoneNumber }"
                  >
                    <span
                      class="grid size-6 shrink-0 place-items-center rounded-full bg-canvas text-xs text-muted"
                      >{{ i + 1 }}</span
                    >
                    <span class="whitespace-nowrap" data-testid="top-phone">{{
                      customer.phoneNumber | phone
                    }}</span>
                  </a>
                  <span class="shrink-0 text-right">
                    <span class="block font-semibold tabular-nums text-points"
                      >{{ customer.pointsEarned | points }} pts</span
                    >
                    <span class="block text-xs text-muted"
                      >{{ customer.transactionCount | points }}
                      {{ transactions(customer.transactionCount) }}</span
                    >
                  </span>
                </li>
              }
            </ol>
          }
        </adm-card>
      </div>
    }
  `,
})
export class ReportsPage {
  protected readonly store = inject(ReportsStore);
  readonly #config = inject(RuntimeConfig);

  protected readonly presets = PRESETS;
  protected readonly locale = this.#config.locale;

  protected setFrom(event: Event): void {
    this.store.setFrom((event.target as HTMLInputElement).value);
  }

  protected setTo(event: Event): void {
    this.store.setTo((event.target as HTMLInputElement).value);
  }

  protected fmt(value: number): string {
    return formatPoints(value, this.#config.locale());
  }

  protected transactions(count: number): string {
    return plural(count, 'transaction');
  }

  protected redemptionsLabel(count: number): string {
    return count === 1 ? 'Redemption' : 'Redemptions';
  }
}
