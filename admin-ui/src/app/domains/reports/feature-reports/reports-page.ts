/**
 * Reports: the figures of a date range (default: the last 30 days) — points issued,
 * redemptions, customers — the top 5 customers and points issued and redeemed per day.
 */
import { Component, computed, inject, resource, signal } from '@angular/core';
import { RouterLink } from '@angular/router';

import { RuntimeConfig } from '../../../core/config/runtime-config';
import { ApiError, toApiError } from '../../../core/http/api-error';
import { Alert } from '../../shared/ui/alert';
import { Button } from '../../shared/ui/button';
import { Card } from '../../shared/ui/card';
import { PageHeader } from '../../shared/ui/page-header';
import { PhonePipe, PointsPipe } from '../../shared/ui/pipes';
import { Empty, LoadError, Loading } from '../../shared/ui/states';
import { Stat } from '../../shared/ui/stat';
import { formatPoints } from '../../shared/util/format';
import { ReportsClient } from '../../shared/data/reports-client';
import { PointsChart } from '../ui/points-chart';

/** The UTC day of `date`, `YYYY-MM-DD` (reports count in UTC days). */
function isoDay(date: Date): string {
  return date.toISOString().slice(0, 10);
}

function daysAgo(days: number): string {
  const date = new Date();
  date.setUTCDate(date.getUTCDate() - days);
  return isoDay(date);
}

const PRESETS = [7, 30, 90] as const;

@Component({
  selector: 'adm-reports-page',
  imports: [
    Alert,
    Button,
    Card,
    Empty,
    LoadError,
    Loading,
    PageHeader,
    PhonePipe,
    PointsChart,
    PointsPipe,
    RouterLink,
    Stat,
  ],
  template: `
    <adm-page-header title="Reports" subtitle="How your loyalty program is doing.">
      <button
        admButton="secondary"
        type="button"
        [disabled]="summary.isLoading()"
        (click)="summary.reload()"
      >
        {{ summary.isLoading() ? 'Refreshing…' : 'Refresh' }}
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
              [value]="from()"
              [max]="to()"
              (change)="setFrom($event)"
            />
          </label>
          <label class="block min-w-0">
            <span class="mb-1 block text-sm font-medium">To</span>
            <input
              type="date"
              class="min-h-11 w-full rounded-lg border border-line bg-surface px-2 sm:px-3"
              [value]="to()"
              [min]="from()"
              (change)="setTo($event)"
            />
          </label>
        </div>
        <div class="flex gap-1" role="group" aria-label="Quick ranges">
          @for (days of presets; track days) {
            <button
              type="button"
              class="min-h-11 rounded-lg border border-line px-3 text-sm font-medium hover:bg-canvas"
              (click)="lastDays(days)"
            >
              {{ days }} days
            </button>
          }
        </div>
      </div>
      @if (rangeProblem(); as problem) {
        <adm-alert kind="error" class="mt-3">{{ problem }}</adm-alert>
      }
    </adm-card>

    @if (summary.isLoading() && !summary.hasValue()) {
      <adm-card><adm-loading label="Loading reports…" /></adm-card>
    } @else if (summary.error(); as error) {
      <adm-card>
        @if (reportsMissing(error)) {
          <adm-empty
            title="Reports unavailable"
            hint="The reports service is not running. Everything else keeps working."
          />
        } @else {
          <adm-load-error [message]="errorText(error)" (retry)="summary.reload()" />
        }
      </adm-card>
    } @else if (summary.hasValue()) {
      <div class="grid grid-cols-2 gap-3 lg:grid-cols-4">
        <adm-stat
          label="Points issued"
          data-testid="stat-issued"
          hint="Purchases and referral bonuses"
          [value]="fmt(summary.value().totalPointsIssued)"
        />
        <adm-stat
          label="Redemptions"
          data-testid="stat-redemptions"
          [value]="fmt(summary.value().redemptionsCount)"
        />
        <adm-stat
          label="Points redeemed"
          data-testid="stat-redeemed"
          [value]="fmt(summary.value().redemptionsPoints)"
        />
        <adm-stat
          label="Customers"
          data-testid="stat-customers"
          [value]="fmt(summary.value().customerCount)"
        />
      </div>

      <div class="mt-4 grid grid-cols-1 gap-4 lg:grid-cols-3 lg:gap-6">
        <adm-card heading="Points per day" class="lg:col-span-2">
          @if (summary.value().daily.length === 0) {
            <adm-empty title="No activity in this period" />
          } @else {
            <adm-points-chart [days]="summary.value().daily" [locale]="locale()" />
          }
        </adm-card>
        <adm-card heading="Top customers">
          @if (summary.value().topCustomers.length === 0) {
            <adm-empty title="No customers in this period" />
          } @else {
            <ol class="divide-y divide-line/70">
              @for (
                customer of summary.value().topCustomers;
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
                    <span class="truncate">{{ customer.phoneNumber | phone }}</span>
                  </a>
                  <span class="shrink-0 text-right">
                    <span class="block font-semibold tabular-nums text-points"
                      >{{ customer.pointsEarned | points }} pts</span
                    >
                    <span class="block text-xs text-muted"
                      >{{ customer.transactionCount | points }}
                      {{ customer.transactionCount === 1 ? 'transaction' : 'transactions' }}</span
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
  readonly #client = inject(ReportsClient);
  readonly #config = inject(RuntimeConfig);

  protected readonly presets = PRESETS;
  protected readonly locale = this.#config.locale;
  protected readonly from = signal(daysAgo(29));
  protected readonly to = signal(isoDay(new Date()));
  protected readonly rangeProblem = computed(() =>
    this.from() && this.to() && this.from() > this.to()
      ? '“From” must be on or before “To”.'
      : null,
  );

  protected readonly summary = resource({
    params: () => (this.rangeProblem() ? undefined : { from: this.from(), to: this.to() }),
    loader: ({ params }) => this.#client.summary(params, { quiet: true }),
  });

  protected setFrom(event: Event): void {
    this.from.set((event.target as HTMLInputElement).value);
  }

  protected setTo(event: Event): void {
    this.to.set((event.target as HTMLInputElement).value);
  }

  protected lastDays(days: number): void {
    this.from.set(daysAgo(days - 1));
    this.to.set(isoDay(new Date()));
  }

  /** 404 (not deployed) and 502/503 (down) read as "unavailable", not as an error. */
  protected reportsMissing(error: unknown): boolean {
    return error instanceof ApiError && [404, 502, 503].includes(error.status);
  }

  protected errorText(error: unknown): string {
    return toApiError(error).detail;
  }

  protected fmt(value: number): string {
    return formatPoints(value, this.#config.locale());
  }
}
