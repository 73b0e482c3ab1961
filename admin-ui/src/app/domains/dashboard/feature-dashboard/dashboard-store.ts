/**
 * The owner's overview: the business's program (name, loyalty rate), its latest
 * transactions and the headline figures of the last 30 days from reports (the same period
 * the reports page opens on, so the two pages show the same "points issued"). Reports is optional: its summary is
 * asked for quietly, so an outage shows in place and never raises the app-wide banner.
 * Writable state stays private; the page reads the views and changes state only through the
 * methods. Provided by the page, so the state lives as long as the page.
 */
import { Service, computed, inject, resource } from '@angular/core';

import { Session } from '../../../core/auth/session';
import { LedgerClient, Program } from '../../shared/data/ledger-client';
import { ReportsClient } from '../../shared/data/reports-client';
import { DEFAULT_PERIOD_DAYS, lastDays } from '../../shared/util/dates';
import { ProgramClient } from '../data/program-client';

/** How many transactions the home page lists. */
export const LATEST_TRANSACTIONS = 10;

@Service({ autoProvided: false })
export class DashboardStore {
  readonly #session = inject(Session);
  readonly #programs = inject(ProgramClient);
  readonly #ledger = inject(LedgerClient);
  readonly #reports = inject(ReportsClient);

  readonly #program = resource<Program, number | undefined>({
    params: () => this.#session.businessId() ?? undefined,
    loader: ({ params }) => this.#ledger.program(params),
  });
  readonly #transactions = resource({
    params: () => this.#session.businessId() ?? undefined,
    loader: ({ params }) => this.#programs.recentTransactions(params, LATEST_TRANSACTIONS),
  });
  readonly #summary = resource({
    loader: () => this.#reports.summary(lastDays(DEFAULT_PERIOD_DAYS), { quiet: true }),
  });

  /** The period of the headline figures, in days (ending today). */
  readonly periodDays = DEFAULT_PERIOD_DAYS;

  readonly businessId = computed(() => this.#session.businessId() ?? 0);
  /** The program's name once loaded, else the signed-in business's, else "Dashboard". */
  readonly businessName = computed(
    () =>
      (this.#program.hasValue() ? this.#program.value().name : null) ??
      this.#session.business()?.name ??
      'Dashboard',
  );
  /** The program (loading state, error, value). */
  readonly program = this.#program.asReadonly();
  /** The latest transactions, newest first (loading state, error, value). */
  readonly transactions = this.#transactions.asReadonly();
  /** The last 30 days' report summary (loading state, error, value). */
  readonly summary = this.#summary.asReadonly();

  /** The loyalty rate card saved a change: show the program as the server answered it. */
  programSaved(program: Program): void {
    this.#program.set(program);
  }

  reloadProgram(): void {
    this.#program.reload();
  }

  /** Load the latest transactions again (to retry). */
  reloadTransactions(): void {
    this.#transactions.reload();
  }

  /** Load the figures and the latest transactions again (the Refresh button). */
  refresh(): void {
    this.#transactions.reload();
    this.#summary.reload();
  }
}
