/**
 * A business's data in and out of the loyalty service (owners only):
 *
 * - `GET /businesses/{id}/export/customers.csv` and `/export/transactions.csv` → `text/csv`,
 *   streamed, named by `Content-Disposition: attachment; filename="…"`; read as a blob, as
 *   the request needs the session's `Authorization` header;
 * - `POST /businesses/{id}/import/balances?dry_run=true|false` with the file as a `text/csv`
 *   body (a header `phone_number,points`, a `note` column may follow) → `{dry_run, rows,
 *   valid, imported, already_imported, points, errors: [{line, reason}]}`. Refusals of the
 *   whole file: 413 `ImportTooLarge`, 422 `InvalidImportFile`, 429 `DailyAwardLimitReached`,
 *   403 `OwnerOnly` / `BusinessNotActive`. A bad line is not a refusal: it is in `errors`
 *   (its reason is reworded here, `importReason`). Applying is idempotent by itself (one
 *   imported balance per customer), so it takes no `Idempotency-Key`.
 */
import { HttpClient, HttpErrorResponse } from '@angular/common/http';
import { Service, inject } from '@angular/core';

import { firstValueFrom } from 'rxjs';

import { apiCall } from '../../../core/http/api-call';
import { toApiError } from '../../../core/http/api-error';
import { importReason } from '../util/import-reasons';

/** The two exports. */
export type ExportKind = 'customers' | 'transactions';

/** A downloaded export. */
export interface ExportFile {
  readonly blob: Blob;
  /** The server's file name (`business-3-customers-20261202.csv`). */
  readonly fileName: string;
}

/** A line of the file that is not imported, and why (in the page's words). */
export interface ImportProblem {
  /** The line of the file (the header is line 1). */
  readonly line: number;
  readonly reason: string;
}

/** What a dry run would do, or what applying did. */
export interface ImportReport {
  readonly dryRun: boolean;
  /** Data lines read (not the header, not blank lines). */
  readonly rows: number;
  /** Lines without a problem. */
  readonly valid: number;
  /** Lines written now (0 in a dry run). */
  readonly imported: number;
  /** Valid lines whose customer already has an imported balance here: left as they are. */
  readonly alreadyImported: number;
  /** The points the valid lines not imported before carry. */
  readonly points: number;
  readonly problems: readonly ImportProblem[];
}

interface ImportReportResponse {
  dry_run: boolean;
  rows: number;
  valid: number;
  imported: number;
  already_imported: number;
  points: number;
  errors: { line: number; reason: string }[];
}

/** `attachment; filename="x.csv"` → `x.csv` (null without one). */
export function fileNameOf(disposition: string | null): string | null {
  const match = /filename\*?=(?:UTF-8'')?"?([^";]+)"?/i.exec(disposition ?? '');
  return match ? decodeURIComponent(match[1].trim()) : null;
}

/**
 * An error answered to a blob request carries its JSON body as a blob: read it, so the
 * refusal keeps its name (`OwnerOnly`) like any other call's.
 */
async function withJsonBody(error: unknown): Promise<unknown> {
  if (!(error instanceof HttpErrorResponse) || !(error.error instanceof Blob)) {
    return error;
  }
  let body: unknown = null;
  try {
    body = JSON.parse(await error.error.text());
  } catch {
    // Not JSON (a gateway page): the status alone says what happened.
  }
  return new HttpErrorResponse({
    error: body,
    headers: error.headers,
    status: error.status,
    statusText: error.statusText,
    url: error.url ?? undefined,
  });
}

@Service()
export class TransferClient {
  readonly #http = inject(HttpClient);

  /** Download one of the business's exports. */
  async exportCsv(businessId: number, kind: ExportKind): Promise<ExportFile> {
    const request = this.#http.get(`/businesses/${businessId}/export/${kind}.csv`, {
      observe: 'response',
      responseType: 'blob',
    });
    let response;
    try {
      response = await firstValueFrom(request);
    } catch (error) {
      throw toApiError(await withJsonBody(error));
    }
    return {
      blob: response.body ?? new Blob([], { type: 'text/csv' }),
      fileName:
        fileNameOf(response.headers.get('Content-Disposition')) ??
        `business-${businessId}-${kind}.csv`,
    };
  }

  /** Check (`dryRun`) or apply a balance import of the CSV text `csv`. */
  async importBalances(businessId: number, csv: string, dryRun: boolean): Promise<ImportReport> {
    const raw = await apiCall(
      this.#http.post<ImportReportResponse>(`/businesses/${businessId}/import/balances`, csv, {
        params: { dry_run: String(dryRun) },
        headers: { 'Content-Type': 'text/csv' },
      }),
    );
    return {
      dryRun: raw.dry_run,
      rows: raw.rows,
      valid: raw.valid,
      imported: raw.imported,
      alreadyImported: raw.already_imported,
      points: raw.points,
      problems: raw.errors.map((e) => ({ line: e.line, reason: importReason(e.reason) })),
    };
  }
}
