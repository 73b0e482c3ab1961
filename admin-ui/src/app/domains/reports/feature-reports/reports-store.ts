/**
 * The reports page's state: the period (default: the last 30 days, as on the overview) and
 * the summary of that period. A period that ends before it starts is not sent: the page shows
 * why instead. Provided by the page, so the state lives as long as the page.
 */
import { Service, computed, inject, resource, signal } from '@angular/core';

import { ApiError } from '../../../core/http/api-error';
import { ReportsClient } from '../../shared/data/reports-client';
import { DEFAULT_PERIOD_DAYS, lastDays } from '../../shared/util/dates';

@Service({ autoProvided: false })
export class ReportsStore {
  readonly #client = inject(ReportsClient);

  readonly #from = signal(lastDays(DEFAULT_PERIOD_DAYS).from);
  readonly #to = signal(lastDays(DEFAULT_PERIOD_DAYS).to);

  readonly from = this.#from.asReadonly();
  readonly to = this.#to.asReadonly();
  /** Why the chosen period cannot be shown, or null. */
  readonly rangeProblem = computed(() => {
    if (!this.#from() || !this.#to()) {
      return 'Choose both a “From” and a “To” date.';
    }
    return this.#from() > this.#to() ? '“From” must be on or before “To”.' : null;
  });

  readonly #summary = resource({
    params: () => (this.rangeProblem() ? undefined : { from: this.#from(), to: this.#to() }),
    loader: ({ params }) => this.#client.summary(params, { quiet: true }),
  });

  /** The period's summary (loading state, error, value). */
  readonly summary = this.#summary.asReadonly();
  /** True when no point was issued or redeemed in the period (the chart would be empty). */
  readonly quietPeriod = computed(
    () =>
      this.#summary.hasValue() &&
      this.#summary.value().daily.every((d) => d.pointsIssued === 0 && d.pointsRedeemed === 0),
  );
  /** 404 (not deployed) and 502/503 (down) read as "unavailable", not as an error. */
  readonly unavailable = computed(() => {
    const error = this.#summary.error();
    return error instanceof ApiError && [404, 502, 503].includes(error.status);
  });

  setFrom(day: string): void {
    this.#from.set(day);
  }

  setTo(day: string): void {
    this.#to.set(day);
  }

  /** The last `days` days, ending today. */
  showLastDays(days: number): void {
    const range = lastDays(days);
    this.#from.set(range.from);
    this.#to.set(range.to);
  }

  reload(): void {
    this.#summary.reload();
  }
}
