/**
 * The home page's state: the business's program (name, loyalty rate), its latest
 * transactions and the headline figures from reports. Reports is optional: its summary is
 * asked for quietly, so an outage shows in place and never raises the app-wide banner.
 * Writable state stays private; the page reads the views and changes state only through the
 * methods. Provided by the page, so the state lives as long as the page.
 */
import { Service, computed, inject, resource } from '@angular/core';

import { Session } from '../../../core/auth/session';
import { ReportsClient } from '../../shared/data/reports-client';
import { Program, ProgramClient } from '../data/program-client';

/** How many transactions the home page lists. */
export const LATEST_TRANSACTIONS = 10;

@Service({ autoProvided: false })
export class DashboardStore {
  readonly #session = inject(Session);
  readonly #programs = inject(ProgramClient);
  readonly #reports = inject(ReportsClient);

  readonly #program = resource<Program, number | undefined>({
    params: () => this.#session.businessId() ?? undefined,
    loader: ({ params }) => this.#programs.program(params),
  });
  readonly #transactions = resource({
    params: () => this.#session.businessId() ?? undefined,
    loader: ({ params }) => this.#programs.recentTransactions(params, LATEST_TRANSACTIONS),
  });
  readonly #summary = resource({
    loader: () => this.#reports.summary({}, { quiet: true }),
  });

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
  /** The all-time report summary (loading state, error, value). */
  readonly summary = this.#summary.asReadonly();

  /** The loyalty rate card saved a change: show the program as the server answered it. */
  programSaved(program: Program): void {
    this.#program.set(program);
  }

  reloadProgram(): void {
    this.#program.reload();
  }

  /** Load the latest transactions again (after points were added, or to retry). */
  reloadTransactions(): void {
    this.#transactions.reload();
  }
}
