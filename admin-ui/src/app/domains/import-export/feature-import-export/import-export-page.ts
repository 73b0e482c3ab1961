/**
 * Import & export (owners): bring customers' balances from another system and take the
 * business's data away as CSV files.
 *
 * Import: choose a CSV file (`phone_number,points`, a `note` column may follow); it is
 * checked at once without changing anything — how many lines can be imported, how many were
 * imported before, and every bad line with its number and the reason — and only "Import"
 * writes the balances. Export: the customers and the transactions, each downloaded with the
 * session's token and saved under the server's file name.
 */
import { Component, inject } from '@angular/core';

import { RuntimeConfig } from '../../../core/config/runtime-config';
import { Alert } from '../../shared/ui/alert';
import { Button } from '../../shared/ui/button';
import { Card } from '../../shared/ui/card';
import { PageHeader } from '../../shared/ui/page-header';
import { PointsPipe } from '../../shared/ui/pipes';
import { Stat } from '../../shared/ui/stat';
import { plural } from '../../shared/util/dates';
import { formatPoints } from '../../shared/util/format';
import { ExportKind } from '../data/transfer-client';
import { ImportExportStore } from './import-export-store';

@Component({
  selector: 'adm-import-export-page',
  providers: [ImportExportStore],
  imports: [Alert, Button, Card, PageHeader, PointsPipe, Stat],
  template: `
    <adm-page-header
      title="Import & export"
      subtitle="Bring your customers' balances from another system, and take your data with you."
    />

    <div class="grid grid-cols-1 gap-4 lg:grid-cols-3 lg:gap-6">
      <adm-card heading="Import balances" class="lg:col-span-2">
        <p class="text-sm text-muted">
          A CSV file whose first line is
          <code class="font-mono text-ink">phone_number,points</code> (a
          <code class="font-mono text-ink">note</code> column may follow), then one customer a line.
          The file is checked first and nothing changes until you import it. Each customer gets one
          imported balance: importing the same file again adds nothing.
        </p>
        <label for="import-file" class="mt-4 mb-1 block text-sm font-medium text-ink"
          >CSV file to import</label
        >
        <input
          id="import-file"
          type="file"
          accept=".csv,text/csv"
          class="block w-full text-sm text-ink file:mr-3 file:min-h-11 file:rounded-lg file:border file:border-line file:bg-surface file:px-4 file:font-semibold file:text-ink hover:file:bg-canvas"
          [disabled]="store.busy() === 'checking' || store.busy() === 'importing'"
          (change)="chooseFile($event)"
        />

        <div class="mt-4 space-y-4" aria-live="polite">
          @if (store.busy() === 'checking') {
            <p class="text-sm text-muted">Checking {{ store.fileName() }}…</p>
          }
          @if (store.importProblem(); as problem) {
            <adm-alert kind="error" data-testid="import-problem">{{ problem }}</adm-alert>
          }
          @if (store.checked(); as report) {
            <section data-testid="import-report" aria-labelledby="import-report-title">
              <h3 id="import-report-title" class="text-sm font-semibold text-ink">
                Check of {{ store.fileName() }} (nothing imported yet)
              </h3>
              <div class="mt-2 grid grid-cols-2 gap-3 sm:grid-cols-4">
                <adm-stat label="Lines read" [value]="count(report.rows)" />
                <adm-stat
                  label="Ready to import"
                  [value]="count(store.toImport())"
                  [hint]="(report.points | points) + ' points'"
                  data-testid="import-ready"
                />
                <adm-stat
                  label="Imported before"
                  [value]="count(report.alreadyImported)"
                  hint="Left as they are"
                />
                <adm-stat
                  label="With a problem"
                  [value]="count(report.problems.length)"
                  hint="Left out"
                />
              </div>
              @if (report.problems.length > 0) {
                <h4 class="mt-4 text-sm font-semibold text-ink">
                  {{ report.problems.length }} {{ lines(report.problems.length) }} will not be
                  imported:
                </h4>
                <ul class="mt-1 divide-y divide-line/70 text-sm" data-testid="import-problems">
                  @for (problem of report.problems; track problem.line) {
                    <li class="py-2 text-ink" data-testid="import-problem-line">
                      <strong class="inline-block w-18 font-semibold"
                        >Line {{ problem.line }}:</strong
                      >
                      {{ problem.reason }}
                    </li>
                  }
                </ul>
              }
              <div class="mt-4 flex flex-wrap items-center gap-3">
                <button
                  admButton
                  type="button"
                  [disabled]="store.toImport() === 0 || store.busy() !== null"
                  (click)="store.apply()"
                >
                  {{
                    store.busy() === 'importing'
                      ? 'Importing…'
                      : 'Import ' + count(store.toImport()) + ' ' + balances(store.toImport())
                  }}
                </button>
                @if (store.toImport() === 0) {
                  <p class="text-sm text-muted">Nothing new to import in this file.</p>
                }
              </div>
            </section>
          }
          @if (store.applied(); as done) {
            <adm-alert kind="success" data-testid="import-done">
              Imported {{ count(done.imported) }} {{ balances(done.imported) }} ({{
                done.points | points
              }}
              points).
              @if (done.alreadyImported > 0) {
                {{ count(done.alreadyImported) }} had been imported before and were left as they
                are.
              }
              @if (done.problems.length > 0) {
                {{ done.problems.length }} {{ lines(done.problems.length) }} with a problem
                {{ done.problems.length === 1 ? 'was' : 'were' }} left out.
              }
            </adm-alert>
          }
        </div>
      </adm-card>

      <adm-card heading="Export">
        <p class="text-sm text-muted">
          Your data as CSV files, to open in a spreadsheet or take to another system.
        </p>
        <div class="mt-4 flex flex-col gap-2">
          @for (kind of exports; track kind.kind) {
            <button
              admButton="secondary"
              type="button"
              [disabled]="store.busy() !== null"
              (click)="download(kind.kind)"
            >
              {{ store.busy() === kind.kind ? 'Downloading…' : kind.label }}
            </button>
          }
        </div>
        <div class="mt-3" aria-live="polite">
          @if (store.saved(); as name) {
            <adm-alert kind="success" data-testid="export-saved">Saved {{ name }}.</adm-alert>
          }
          @if (store.exportProblem(); as problem) {
            <adm-alert kind="error">{{ problem }}</adm-alert>
          }
        </div>
      </adm-card>
    </div>
  `,
})
export class ImportExportPage {
  protected readonly store = inject(ImportExportStore);
  protected readonly exports: readonly { kind: ExportKind; label: string }[] = [
    { kind: 'customers', label: 'Download customers (CSV)' },
    { kind: 'transactions', label: 'Download transactions (CSV)' },
  ];
  readonly #config = inject(RuntimeConfig);

  protected chooseFile(event: Event): void {
    const input = event.target as HTMLInputElement;
    void this.store.chooseFile(input.files?.[0] ?? null);
  }

  protected download(kind: ExportKind): void {
    void this.store.download(kind);
  }

  protected count(value: number): string {
    return formatPoints(value, this.#config.locale());
  }

  protected lines(count: number): string {
    return plural(count, 'line');
  }

  protected balances(count: number): string {
    return plural(count, 'balance');
  }
}
